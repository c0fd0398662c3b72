"""Explanations on two task workers sharing the PostgreSQL queue: twenty asked for at once each
run exactly once, and one whose worker is killed mid-run (SIGKILL) is failed by the other
worker's watchdog ("the worker stopped while explaining — retry") and, retried, completes on
the worker that survived.

Each explanation is of its own Sentry issue on the fake Sentry API; the issue's event carries
a marker that the (scrubbed) prompt keeps, so the fake LLM's requests tell which explanation
each was for. The database is read by the test itself: looking through the app would sweep.
"""

import collections
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .cluster import WORKER_IDS, wait_for

BATCH = 20
WORKER_LOST = "The worker stopped while explaining — retry."
MARKER = re.compile(r"scale-marker-(\d{2})")


@pytest.fixture(scope="module")
def issues(fake_sentry) -> list[str]:
    """The ids of the fake Sentry's issues, each event marked with its index."""
    ids = []
    for index, issue in enumerate(fake_sentry.issues):
        marker = f"scale-marker-{index:02d}"
        issue["title"] = f"{issue['title']} {marker}"
        event = fake_sentry.events[issue["id"]]
        event["title"] = issue["title"]
        event["entries"][0]["data"]["values"][-1]["value"] += f" ({marker})"
        ids.append(issue["id"])
    return ids


@pytest.fixture(autouse=True)
def fresh_fakes(fake_openai, fake_sentry):
    fake_openai.queue.clear()
    fake_openai.requests.clear()
    fake_sentry.requests.clear()
    fake_sentry.delay = 0.0


def script(world) -> dict:
    return {"Authorization": f"Bearer {world['writeKey']}"}


def ask(base: str, world: dict, issue_id: str) -> str:
    answer = requests.post(
        f"{base}/api/projects/{world['project']}/explanations",
        json={"issueId": issue_id, "environment": "production"},
        headers=script(world),
        timeout=30,
    )
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "queued"
    return answer.json()["id"]


def llm_requests_per_issue(fake_openai) -> collections.Counter:
    counts = collections.Counter()
    for request in fake_openai.requests:
        prompt = "\n".join(str(message["content"]) for message in request["body"]["messages"])
        counts.update({int(index) for index in MARKER.findall(prompt)})
    return counts


def statuses(cluster, ids) -> dict[str, tuple[str, str]]:
    rows = cluster.sql(
        "SELECT id::text, status, error FROM explainer_explanation WHERE id::text = ANY(%s)",
        list(ids),
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def test_twenty_explanations_asked_at_once_each_run_once(cluster, world, issues, fake_openai,
                                                         fake_sentry):  # fmt: skip
    fake_sentry.delay = 0.05  # each run takes a moment, so the queue is shared out
    node_a, node_b = cluster.nodes
    with ThreadPoolExecutor(BATCH) as pool:  # every request in flight at once, through A and B
        futures = [
            pool.submit(ask, cluster.nodes[index % 2], world, issues[index])
            for index in range(BATCH)
        ]
        ids = [future.result() for future in futures]
    assert len(set(ids)) == BATCH

    wait_for(
        lambda: all(status == "done" for status, _ in statuses(cluster, ids).values()),
        90,
        f"{BATCH} explanations to be done: {collections.Counter(statuses(cluster, ids).values())}",
    )
    for index, explanation_id in enumerate(ids):
        shown = requests.get(
            f"{cluster.nodes[index % 2]}/api/explanations/{explanation_id}",
            headers=script(world),
            timeout=10,
        ).json()
        assert (shown["status"], shown["error"]) == ("done", None)
        assert shown["summary"]

    # Exactly one model call per explanation, and one task run each, by one worker.
    assert llm_requests_per_issue(fake_openai) == {index: 1 for index in range(BATCH)}
    assert len(fake_openai.requests) == BATCH
    ran_on = collections.Counter()
    for explanation_id in ids:
        runs = cluster.task_runs("run_explanation", explanation_id)
        assert [(status, value) for status, _, value in runs] == [("SUCCESSFUL", "done")]
        [(_, [worker], _)] = runs
        ran_on[worker] += 1
    print(f"\nexplanations run per worker: {dict(ran_on)}")
    assert set(ran_on) == set(WORKER_IDS), f"one worker ran them all: {ran_on}"


def test_a_killed_workers_explanation_is_failed_and_retried_on_the_other(cluster, world, issues,
                                                                          fake_openai):  # fmt: skip
    node_a, node_b = cluster.nodes
    index = BATCH + 1
    fake_openai.slow(60)  # the model answers long after the worker is dead
    explanation_id = ask(node_a, world, issues[index])
    wait_for(lambda: llm_requests_per_issue(fake_openai)[index], 30, "the worker to ask the model")

    [(status, [victim], _)] = cluster.task_runs("run_explanation", explanation_id)
    assert status == "RUNNING"
    [survivor] = set(WORKER_IDS) - {victim}
    cluster.kill_worker(victim)
    assert statuses(cluster, [explanation_id])[explanation_id] == ("running", "")

    # Nobody looks: the surviving worker's watchdog fails the run once its heartbeat is stale.
    wait_for(
        lambda: statuses(cluster, [explanation_id])[explanation_id][0] == "failed",
        30,
        "the watchdog to fail the explanation",
    )
    assert statuses(cluster, [explanation_id])[explanation_id] == ("failed", WORKER_LOST)
    watchdogs = cluster.task_runs("watch_explanation", explanation_id)
    assert ("SUCCESSFUL", [survivor], "failed") in watchdogs
    shown = requests.get(
        f"{node_b}/api/explanations/{explanation_id}", headers=script(world), timeout=10
    ).json()
    assert (shown["status"], shown["error"]) == ("failed", WORKER_LOST)

    retried = requests.post(
        f"{node_b}/api/explanations/{explanation_id}/retry", headers=script(world), timeout=10
    )
    assert retried.status_code == 202, retried.text
    assert retried.json()["status"] == "queued"
    wait_for(
        lambda: statuses(cluster, [explanation_id])[explanation_id][0] == "done",
        30,
        "the retried explanation to be done",
    )
    final = requests.get(
        f"{node_a}/api/explanations/{explanation_id}", headers=script(world), timeout=10
    ).json()
    assert (final["status"], final["error"]) == ("done", None) and final["summary"]
    assert llm_requests_per_issue(fake_openai)[index] == 2  # the killed run's and the retry's
    runs = cluster.task_runs("run_explanation", explanation_id)
    assert [(status, workers) for status, workers, _ in runs] == [
        ("RUNNING", [victim]),  # the queue never hears back from a killed worker
        ("SUCCESSFUL", [survivor]),
    ]
