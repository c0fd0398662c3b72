"""A real `db_worker` killed (SIGKILL) in the middle of an explanation: the next worker's
watchdog fails it without anyone looking ("the worker stopped while explaining — retry"), the
API shows why, and Retry runs it to the end. One SQLite file shared by the processes; the fake
OpenAI server holds the first answer until after the kill."""

import json
import sqlite3
import time

import pytest
from pytest_httpserver import HTTPServer

from tests.fakes.openai_server import FakeOpenAI
from tests.servers import ROOT, gunicorn_server, kill_now, manage, server_env, start_db_worker

HEARTBEAT_TIMEOUT = 2
SEED = """
import json
from django.contrib.auth import get_user_model
from explainer.event_import import import_event
from projects.access import SYSTEM
from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
from projects.services import create_project
from tests.fakes.sentry_server import load_event
user = get_user_model().objects.create_user("alice")
project = create_project(owner=user, name="Shop", environment="production")
event = import_event(SYSTEM, project, load_event("python_sdk.json"))
key = issue_api_key(owner=user, name="script", access=ApiKey.WRITE).plaintext
print(json.dumps({"project": str(project.pk), "event": str(event.pk), "key": key}))
"""


@pytest.fixture
def fake_openai():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)  # answers while one waits
    server.start()
    try:
        yield FakeOpenAI().install(server)
    finally:
        server.clear()
        server.stop()


@pytest.fixture
def world(tmp_path, fake_openai):
    database = tmp_path / "worker.sqlite3"
    env = server_env(
        f"sqlite:///{database}",
        "locmemcache://",
        OPENAI_API_KEY="sk-test-" + "x" * 24,
        OPENAI_BASE_URL=fake_openai.base_url,
        OPENAI_TIMEOUT="30",
        EXPLANATION_HEARTBEAT_TIMEOUT=str(HEARTBEAT_TIMEOUT),
        OUTBOUND_ALLOWED_NETWORKS="127.0.0.0/8",
        PYTHONPATH=str(ROOT),
    )
    manage(env, "migrate", "-v0")
    seeded = json.loads(manage(env, "shell", "--no-imports", "-c", SEED).stdout.splitlines()[-1])
    with gunicorn_server(env, tmp_path / "gunicorn.log") as base:
        yield {"env": env, "database": database, "base": base, "tmp": tmp_path, **seeded}


def start_worker(world, name):
    return start_db_worker(world["env"], world["tmp"] / f"{name}.log")


def stored_status(world, explanation_id) -> tuple[str, str]:
    """Read straight from the database file: looking through the app would sweep."""
    with sqlite3.connect(world["database"]) as db:
        return db.execute(
            "SELECT status, error FROM explainer_explanation WHERE id = ?",
            (explanation_id.replace("-", ""),),
        ).fetchone()


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_a_killed_worker_leaves_no_stuck_explanation(world, fake_openai):
    import requests

    headers = {"Authorization": f"Bearer {world['key']}"}
    fake_openai.slow(8)  # the first answer comes after the worker is dead
    first = start_worker(world, "worker-1")
    second = None
    try:
        response = requests.post(
            f"{world['base']}/api/projects/{world['project']}/explanations",
            json={"eventId": world["event"]},
            headers=headers,
            timeout=10,
        )
        assert response.status_code == 202, response.text
        explanation_id = response.json()["id"]
        wait_for(lambda: fake_openai.requests, 20, "the worker to ask the model")
        assert stored_status(world, explanation_id)[0] == "running"

        kill_now(first)
        time.sleep(HEARTBEAT_TIMEOUT + 0.5)
        assert stored_status(world, explanation_id)[0] == "running"  # nobody has looked yet

        # The next worker to start fails it on its own (its watchdog), nobody looking.
        second = start_worker(world, "worker-2")
        status, error = wait_for(
            lambda: (row := stored_status(world, explanation_id))[0] == "failed" and row,
            20,
            "the watchdog to fail the explanation",
        )
        assert error == "The worker stopped while explaining — retry."
        shown = requests.get(f"{world['base']}/api/explanations/{explanation_id}", headers=headers)
        assert (shown.json()["status"], shown.json()["error"]) == ("failed", error)

        retried = requests.post(
            f"{world['base']}/api/explanations/{explanation_id}/retry", headers=headers, timeout=10
        )
        assert retried.status_code == 202, retried.text
        assert retried.json()["status"] == "queued"
        done = wait_for(
            lambda: stored_status(world, explanation_id)[0] == "done", 30, "the retried run"
        )
        assert done
        final = requests.get(f"{world['base']}/api/explanations/{explanation_id}", headers=headers)
        assert final.json()["summary"] and final.json()["error"] is None
        assert len(fake_openai.requests) == 2
    finally:
        kill_now(first)
        if second is not None:
            kill_now(second)
