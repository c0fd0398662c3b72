"""POST /api/webhooks/sentry/<projectId>: signed Sentry integration-platform webhooks."""

import hashlib
import hmac
import json
import time

import pytest
from django_tasks_db.models import DBTaskResult

from explainer.models import Explanation, WebhookDelivery
from tests.fakes.sentry_server import load_event

SECRET = "a3f1c2d4e5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2"


@pytest.fixture
def hooked_project(make_project, make_integration):
    project = make_project("Shop", environment="production")
    make_integration(project, webhook_secret=SECRET, auto_explain=True)
    return project


def issue_body():
    return {
        "action": "created",
        "installation": {"uuid": "7a485448-a9e2-4c85-8a3c-4f44175783c9"},
        "data": {
            "issue": {
                "id": "4504123457",
                "shortId": "BACKEND-2",
                "title": "TypeError: Cannot read properties of undefined (reading 'price')",
                "web_url": "https://acme.sentry.io/issues/4504123457/",
                "project": {"id": "42", "slug": "backend"},
            }
        },
        "actor": {"type": "application", "id": "sentry", "name": "Sentry"},
    }


def event_alert_body():
    event = load_event("python_sdk.json")
    event.update(issue_id="4504123999", environment="production")
    event["web_url"] = "https://acme.sentry.io/issues/4504123999/events/abc/"
    return {
        "action": "triggered",
        "installation": {"uuid": "7a485448-a9e2-4c85-8a3c-4f44175783c9"},
        "data": {"event": event, "triggered_rule": "Explain new errors"},
        "actor": {"type": "application", "id": "sentry", "name": "Sentry"},
    }


def deliver(
    client,
    project,
    body,
    *,
    resource="issue",
    secret=SECRET,
    signature=None,
    timestamp=None,
    request_id="5a9d4f43-9d2c-4a43-9e2e-0b6a3e0a0001",
):
    raw = json.dumps(body).encode()
    headers = {
        "Sentry-Hook-Resource": resource,
        "Sentry-Hook-Timestamp": str(int(timestamp if timestamp is not None else time.time())),
        "Request-ID": request_id,
    }
    if signature is None:
        signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    if signature:
        headers["Sentry-Hook-Signature"] = signature
    return client.post(
        f"/api/webhooks/sentry/{project.id}", raw, content_type="application/json", headers=headers
    )


def test_a_signed_new_issue_queues_an_explanation_within_a_second(client, hooked_project):
    started = time.monotonic()
    response = deliver(client, hooked_project, issue_body())
    assert time.monotonic() - started < 1
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "queued"
    explanation = Explanation.objects.get()
    assert explanation.pk == __import__("uuid").UUID(response.json()["explanationId"])
    assert (explanation.trigger, explanation.issue_id, explanation.status) == (
        "webhook",
        "4504123457",
        "queued",
    )
    assert explanation.issue_short_id == "BACKEND-2"
    assert explanation.issue_permalink == "https://acme.sentry.io/issues/4504123457/"
    assert DBTaskResult.objects.count() == 1


def test_an_event_alert_queues_an_explanation_of_that_event(client, hooked_project):
    response = deliver(client, hooked_project, event_alert_body(), resource="event_alert")
    assert response.status_code == 202
    explanation = Explanation.objects.get()
    assert explanation.issue_id == "4504123999"
    assert explanation.environment == "production"
    assert explanation.event["exception"]
    assert "Tr0ub4dor" not in json.dumps(explanation.event)  # stored scrubbed


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"signature": ""}, "missing_signature"),
        ({"signature": "0" * 64}, "bad_signature"),
        ({"secret": "not-the-secret"}, "bad_signature"),
        ({"timestamp": time.time() - 301}, "stale_timestamp"),
    ],
    ids=["missing", "wrong", "other-secret", "stale"],
)
def test_bad_signatures_and_stale_deliveries_are_401(client, hooked_project, options, code):
    response = deliver(client, hooked_project, issue_body(), **options)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Explanation.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_a_project_without_a_webhook_secret_refuses(client, integrated_project):
    response = deliver(client, integrated_project, issue_body())
    assert response.status_code == 401
    assert response.json()["code"] == "bad_signature"


def test_a_replayed_request_id_queues_once(client, hooked_project):
    first = deliver(client, hooked_project, issue_body())
    second = deliver(client, hooked_project, issue_body())
    assert (first.status_code, second.status_code) == (202, 202)
    assert second.json()["status"] == "duplicate"
    assert Explanation.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_another_delivery_of_the_same_issue_returns_the_queued_one(client, hooked_project):
    first = deliver(client, hooked_project, issue_body(), request_id="one")
    second = deliver(client, hooked_project, issue_body(), request_id="two")
    assert second.json() == {
        "status": "already_queued",
        "explanationId": first.json()["explanationId"],
    }
    assert DBTaskResult.objects.count() == 1


def test_other_resources_are_accepted_and_ignored(client, hooked_project):
    body = {"action": "created", "data": {"installation": {}}}
    response = deliver(client, hooked_project, body, resource="installation")
    assert response.status_code == 202
    assert response.json()["status"] == "ignored"
    resolved = issue_body() | {"action": "resolved"}
    assert deliver(client, hooked_project, resolved, request_id="r2").json()["status"] == "ignored"
    assert not Explanation.objects.exists()


def test_nothing_is_queued_when_auto_explain_is_off(client, make_project, make_integration):
    project = make_project("Quiet", environment="production")
    make_integration(project, webhook_secret=SECRET, auto_explain=False)
    response = deliver(client, project, issue_body())
    assert response.status_code == 202
    assert response.json()["status"] == "ignored"
    assert not Explanation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_webhook_explanation_is_run_by_the_worker(client, hooked_project, run_worker):
    deliver(client, hooked_project, event_alert_body(), resource="event_alert")
    run_worker()
    explanation = Explanation.objects.get()
    assert explanation.status == "done", explanation.error
    assert "ConnectionError" in explanation.summary
