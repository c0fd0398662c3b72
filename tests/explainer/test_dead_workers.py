"""Explanations whose worker died (no heartbeat) or that ran past EXPLANATION_TIMEOUT are
failed with a reason that says to retry, wherever someone looks or asks; Retry works on them;
two workers never run the same explanation and a run declared dead saves nothing."""

import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from explainer import event_import, runs
from explainer.explanations import _run, run_explanation
from explainer.models import Explanation
from projects.access import SYSTEM
from tests.fakes.sentry_server import load_event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def imported(make_project):
    project = make_project("Shop", environment="production")
    return event_import.import_event(SYSTEM, project, load_event("python_sdk.json"))


def running(imported, *, heartbeat_ago=0, started_ago=0) -> Explanation:
    now = timezone.now()
    return Explanation.objects.create(
        project=imported.project,
        dedupe_key=f"event:{imported.pk}",
        imported_event=imported,
        environment="production",
        status=Explanation.RUNNING,
        started_at=now - timedelta(seconds=started_ago or heartbeat_ago),
        heartbeat_at=now - timedelta(seconds=heartbeat_ago),
    )


def test_a_silent_run_is_failed_when_viewed_in_the_api(api, imported, settings):
    settings.EXPLANATION_HEARTBEAT_TIMEOUT = 30
    explanation = running(imported, heartbeat_ago=31)
    shown = api.get(f"/api/explanations/{explanation.pk}").json()
    assert shown["status"] == "failed"
    assert shown["error"] == "The worker stopped while explaining — retry."
    assert Explanation.objects.get().status == "failed"


def test_a_run_past_the_timeout_is_failed_when_the_page_is_viewed(
    browser_client, imported, settings
):
    settings.EXPLANATION_TIMEOUT = 300
    explanation = running(imported, heartbeat_ago=1, started_ago=301)
    page = browser_client.get(f"/projects/{imported.project.slug}/explanations/{explanation.pk}")
    assert "ran longer than EXPLANATION_TIMEOUT (300 s)" in page.content.decode()
    assert Explanation.objects.get().status == "failed"


def test_a_healthy_run_is_left_alone(api, imported):
    explanation = running(imported, heartbeat_ago=1)
    assert api.get(f"/api/explanations/{explanation.pk}").json()["status"] == "running"
    listed = api.get(f"/api/projects/{imported.project.pk}/explanations").json()
    assert listed["results"][0]["status"] == "running"


def test_asking_again_for_a_dead_run_queues_a_new_one(api, imported):
    dead = running(imported, heartbeat_ago=3600)
    response = api.post(
        f"/api/projects/{imported.project.pk}/explanations",
        {"eventId": str(imported.pk)},
        format="json",
    )
    assert response.status_code == 202
    assert response.json()["id"] != str(dead.pk) and response.json()["status"] == "queued"
    dead.refresh_from_db()
    assert dead.status == "failed"


def test_retry_works_on_a_dead_run_and_refuses_a_live_one(api, imported):
    live = running(imported, heartbeat_ago=1)
    refused = api.post(f"/api/explanations/{live.pk}/retry")
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_failed" and "running" in refused.json()["detail"]
    Explanation.objects.filter(pk=live.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    retried = api.post(f"/api/explanations/{live.pk}/retry")
    assert retried.status_code == 202, retried.json()
    assert retried.json()["status"] == "queued"


def test_two_workers_never_run_the_same_explanation(imported):
    queued = Explanation.objects.create(
        project=imported.project, dedupe_key="event:x", imported_event=imported
    )
    assert runs.claim(queued.pk) is not None
    assert runs.claim(queued.pk) is None
    assert run_explanation(queued.pk) == "skipped"


def test_a_run_declared_dead_and_retried_saves_nothing(imported, api):
    queued = Explanation.objects.create(
        project=imported.project, dedupe_key="event:x", imported_event=imported
    )
    first = runs.claim(queued.pk)
    Explanation.objects.filter(pk=queued.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    assert api.post(f"/api/explanations/{queued.pk}/retry").status_code == 202
    second = runs.claim(queued.pk)
    assert _run(queued.pk, first) == "discarded"  # the first worker wakes up late
    queued.refresh_from_db()
    assert (queued.status, queued.run_token, queued.summary) == ("running", second, "")
    assert _run(queued.pk, second) == "done"


def test_the_watchdog_fails_a_dead_run_and_watches_a_live_one(imported):
    live = running(imported, heartbeat_ago=1)
    token = uuid.uuid4()
    Explanation.objects.filter(pk=live.pk).update(run_token=token)
    assert runs.watch(live.pk, token) == "alive"
    assert DBTaskResult.objects.filter(task_path="explainer.tasks.watch_explanation").count() == 1
    Explanation.objects.filter(pk=live.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert runs.watch(live.pk, token) == "failed"
    assert Explanation.objects.get(pk=live.pk).status == "failed"
    assert runs.watch(live.pk, token) == "finished"


def test_a_worker_that_starts_an_explanation_sweeps_dead_runs_first(imported, run_worker):
    dead = running(imported, heartbeat_ago=3600)
    other = Explanation.objects.create(
        project=imported.project, dedupe_key="event:other", imported_event=imported
    )
    from explainer.explanations import _enqueue

    _enqueue(other)
    run_worker()
    assert Explanation.objects.get(pk=dead.pk).status == "failed"
    assert Explanation.objects.get(pk=other.pk).status == "done"


def test_a_live_run_keeps_its_heartbeat_fresh(imported, settings):
    settings.EXPLANATION_HEARTBEAT_TIMEOUT = 0.9  # a beat every 0.3 s
    explanation = running(imported, heartbeat_ago=60)
    token = uuid.uuid4()
    Explanation.objects.filter(pk=explanation.pk).update(run_token=token)
    with runs.Heartbeat(explanation.pk, token):
        time.sleep(1.2)
    explanation.refresh_from_db()
    assert timezone.now() - explanation.heartbeat_at < timedelta(seconds=1)
    assert runs.sweep() == 0
