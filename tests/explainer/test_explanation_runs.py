"""Explanations end to end: the API queues, the real django-tasks-db worker runs them."""

import pytest
from django_tasks_db.models import DBTaskResult

from explainer import event_import
from explainer.models import Explanation
from projects.access import SYSTEM
from tests.fakes.openai_server import GOOD
from tests.fakes.sentry_server import load_event

# The worker manages its own connections and transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def imported(integrated_project):
    return event_import.import_event(SYSTEM, integrated_project, load_event("python_sdk.json"))


def queue(api, project, **body):
    response = api.post(f"/api/projects/{project.id}/explanations", body, format="json")
    assert response.status_code == 202, response.json()
    return response


def test_an_imported_event_is_explained_by_the_built_in_analysis(api, imported, run_worker):
    response = queue(api, imported.project, eventId=str(imported.pk))
    data = response.json()
    assert data["status"] == "queued"
    assert response["Location"] == f"/api/explanations/{data['id']}"
    assert Explanation.objects.get().status == "queued"  # nothing ran inside the request

    run_worker()
    done = api.get(response["Location"]).json()
    assert done["status"] == "done", done["error"]
    assert done["provider"] == "builtin"
    assert done["model"] == "built-in analysis (no LLM configured)"
    assert "ConnectionError" in done["summary"]
    assert done["specification"].startswith("## Problem")
    assert done["contextSent"].startswith("Event:")
    assert done["durationMs"] is not None and done["finishedAt"]
    assert "Tr0ub4dor" not in done["contextSent"]


def test_an_issue_is_explained_by_the_model_with_tokens_and_the_context(
    api, integrated_project, fake_openai, run_worker
):
    response = queue(api, integrated_project, issueId="4504123457")
    run_worker()
    done = api.get(response["Location"]).json()
    assert done["status"] == "done", done["error"]
    assert (done["provider"], done["model"]) == ("openai", "gpt-4o-mini-2024-07-18")
    assert (done["promptTokens"], done["completionTokens"]) == (812, 240)
    assert done["summary"] == GOOD["summary"]
    assert done["rootCause"] == GOOD["rootCause"]
    assert done["suggestedFix"] == GOOD["suggestedFix"]
    assert done["confidence"] == "high"
    assert done["evidence"] == GOOD["evidence"]
    assert done["issue"]["shortId"] == "BACKEND-2"
    assert done["requestedBy"] == "alice"
    sent = fake_openai.requests[0]["body"]["messages"][1]["content"]
    assert done["contextSent"] in sent
    assert "sam@example.org" not in sent


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda fake: fake.reply_text("{oops", times=2), "not valid JSON"),
        (
            lambda fake: fake.reply({k: v for k, v in GOOD.items() if k != "summary"}, times=2),
            "misses summary",
        ),
        (lambda fake: fake.fail(429), "rate limiting"),
        (lambda fake: fake.fail(500), "HTTP 500"),
        (lambda fake: fake.slow(0.6), "did not answer within"),
    ],
    ids=["invalid-json", "missing-field", "429", "500", "timeout"],
)
def test_llm_failures_end_failed_with_the_reason_and_no_result(
    api, imported, fake_openai, settings, run_worker, setup, reason
):
    settings.OPENAI_TIMEOUT = 0.2
    setup(fake_openai)
    response = queue(api, imported.project, eventId=str(imported.pk))
    run_worker()
    failed = api.get(response["Location"]).json()
    assert failed["status"] == "failed"
    assert reason in failed["error"]
    assert failed["summary"] == "" and failed["specification"] == ""
    run = DBTaskResult.objects.get(task_path="explainer.tasks.run_explanation")
    assert run.status == "SUCCESSFUL"  # the task itself did not crash


def test_the_same_subject_while_queued_returns_the_existing_one(api, imported, run_worker):
    first = queue(api, imported.project, eventId=str(imported.pk)).json()
    second = queue(api, imported.project, eventId=str(imported.pk)).json()
    assert first["id"] == second["id"]
    assert DBTaskResult.objects.count() == 1
    run_worker()
    third = queue(api, imported.project, eventId=str(imported.pk)).json()
    assert third["id"] != first["id"]  # done: a new explanation may be asked for


def test_a_failed_explanation_is_retried(api, imported, fake_openai, run_worker):
    from explainer.explanations import retry_explanation

    fake_openai.fail(500)
    response = queue(api, imported.project, eventId=str(imported.pk))
    run_worker()
    explanation = Explanation.objects.get()
    assert explanation.status == "failed"

    retry_explanation(SYSTEM, explanation)
    assert Explanation.objects.get().status == "queued"
    run_worker()
    done = api.get(response["Location"]).json()
    assert done["status"] == "done"
    assert done["error"] is None


def test_without_an_integration_the_issue_cannot_be_explained(api, make_project):
    project = make_project("Bare", environment="production")
    response = api.post(f"/api/projects/{project.id}/explanations", {"issueId": "1"}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "no_integration"
    assert not Explanation.objects.exists()


def test_bad_bodies_are_400_and_store_nothing(api, integrated_project):
    url = f"/api/projects/{integrated_project.id}/explanations"
    for body, field in [
        ({}, "issueId"),
        ({"issueId": "1", "eventId": "x"}, "eventId"),
        ({"issueId": "1", "eventId": "00000000-0000-0000-0000-000000000000"}, "issueId"),
        ({"issueId": 12}, "issueId"),
        ({"issue": "1"}, "issue"),
    ]:
        response = api.post(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["fields"], response.json()
    unknown = api.post(url, {"eventId": "00000000-0000-0000-0000-000000000000"}, format="json")
    assert unknown.status_code == 404
    assert not Explanation.objects.exists()


def test_lists_and_details_are_limited_to_visible_projects(
    api, imported, make_project, other_user, run_worker
):
    from rest_framework.test import APIClient

    response = queue(api, imported.project, eventId=str(imported.pk))
    listed = api.get(f"/api/projects/{imported.project.id}/explanations").json()
    assert [item["id"] for item in listed["results"]] == [response.json()["id"]]
    stranger = APIClient()
    stranger.force_authenticate(other_user)
    assert stranger.get(response["Location"]).status_code == 404
    assert stranger.get(f"/api/projects/{imported.project.id}/explanations").status_code == 404
