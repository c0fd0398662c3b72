"""Servers that answer 200 with the wrong shape: Sentry with a JSON list or `{}`, the model
server with an HTML page, a JSON list, no choices or a refusal. Each gives a clear reason
(a 502 naming the endpoint, a failed explanation saying what was sent), never a 500 and
never an explanation "done" with empty content."""

import pytest

from explainer import event_import
from explainer.models import Explanation
from projects.access import SYSTEM
from tests.fakes.sentry_server import load_event

ISSUE = "4504123457"
WRONG_SHAPES = [([], "an empty JSON list"), ({}, "an empty JSON object"), ([{"id": 1}], "list")]


@pytest.mark.parametrize(("body", "described"), WRONG_SHAPES)
def test_an_issue_answered_with_the_wrong_shape_is_a_502_naming_the_endpoint(
    api, integrated_project, fake_sentry, body, described
):
    fake_sentry.fail(200, body=body, path_contains=f"/issues/{ISSUE}/", times=5)
    response = api.get(f"/api/projects/{integrated_project.pk}/sentry-issues/{ISSUE}")
    assert response.status_code == 502, response.content
    error = response.json()
    assert error["code"] == "sentry_bad_response"
    assert f"/api/0/organizations/acme/issues/{ISSUE}/" in error["detail"]
    assert described in error["detail"]


@pytest.mark.parametrize("body", [{}, {"detail": "ok"}, ["x"], "x"])
def test_an_issue_list_answered_with_the_wrong_shape_is_a_502(
    api, integrated_project, fake_sentry, body
):
    fake_sentry.fail(200, body=body, path_contains="/organizations/acme/issues/", times=5)
    response = api.get(f"/api/projects/{integrated_project.pk}/sentry-issues")
    assert response.status_code == 502, response.content
    assert "/api/0/organizations/acme/issues/" in response.json()["detail"]


def test_a_project_answered_with_a_list_is_a_502(api, integrated_project, fake_sentry):
    fake_sentry.fail(200, body=[], path_contains="/projects/acme/backend/", times=5)
    response = api.get(f"/api/projects/{integrated_project.pk}/sentry-issues")
    assert response.status_code == 502
    assert "/api/0/projects/acme/backend/" in response.json()["detail"]


def test_the_issues_page_shows_the_reason(browser_client, integrated_project, fake_sentry):
    fake_sentry.fail(200, body={}, path_contains="/organizations/acme/issues/", times=5)
    response = browser_client.get(f"/projects/{integrated_project.slug}/issues")
    assert response.status_code == 200
    assert "an empty JSON object, not a list of issues" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", [f"/issues/{ISSUE}/events/latest/", f"/issues/{ISSUE}/"])
def test_an_explanation_of_a_wrong_shaped_answer_fails_with_the_reason(
    api, integrated_project, fake_sentry, run_worker, path
):
    fake_sentry.fail(200, body={}, path_contains=path, times=5)
    response = api.post(
        f"/api/projects/{integrated_project.pk}/explanations", {"issueId": ISSUE}, format="json"
    )
    run_worker()
    explanation = api.get(response["Location"]).json()
    assert explanation["status"] == "failed"
    assert "an empty JSON object" in explanation["error"] and path in explanation["error"]
    assert explanation["summary"] == ""


# --- The model server -------------------------------------------------------------------------


@pytest.fixture
def imported(integrated_project):
    return event_import.import_event(SYSTEM, integrated_project, load_event("python_sdk.json"))


def explain(api, imported, run_worker) -> dict:
    response = api.post(
        f"/api/projects/{imported.project.pk}/explanations",
        {"eventId": str(imported.pk)},
        format="json",
    )
    assert response.status_code == 202
    run_worker()
    return api.get(response["Location"]).json()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (lambda fake: fake.raw("<!doctype html><h1>Welcome to nginx</h1>", "text/html"), "HTML"),
        (lambda fake: fake.raw("<html>login</html>", "application/json"), "an HTML page"),
        (lambda fake: fake.raw('[{"choices": []}]'), "a JSON list, not a chat completion"),
        (lambda fake: fake.raw('{"error": "no"}'), "a JSON object that is not a chat"),
        (lambda fake: fake.raw("upstream timed out", "text/plain"), "text that is not JSON"),
        (lambda fake: fake.no_choices(times=2), "a chat completion with no choices"),
        (lambda fake: fake.refuse("I can't help with that.", times=2), "refused: I can't help"),
    ],
)
def test_a_model_reply_that_is_not_a_completion_fails_saying_what_was_sent(
    api, imported, fake_openai, run_worker, answer, reason
):
    answer(fake_openai)
    explanation = explain(api, imported, run_worker)
    assert explanation["status"] == "failed"
    assert reason in explanation["error"], explanation["error"]
    assert "Unexpected error" not in explanation["error"]
    assert "the reply was empty" not in explanation["error"]
    assert Explanation.objects.get().summary == ""
