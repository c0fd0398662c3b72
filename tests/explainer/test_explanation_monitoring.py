"""Self-monitoring of explanations: a gen_ai.chat span, and a breadcrumb or event at the end."""

import pytest
import sentry_sdk

from explainer import event_import
from explainer.explanations import explain_imported_event, run_explanation
from projects.access import SYSTEM
from tests.fakes.sentry_server import load_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(integrated_project):
    imported = event_import.import_event(SYSTEM, integrated_project, load_event("python_sdk.json"))
    explanation, _ = explain_imported_event(SYSTEM, integrated_project, imported)
    return explanation


def test_an_llm_call_is_a_gen_ai_span_with_model_and_tokens(sentry_on, fake_openai, queued):
    with sentry_sdk.start_transaction(name="explain", op="queue.task.django"):
        assert run_explanation(queued.pk) == "done"
    sentry_sdk.flush()
    spans = [s for s in sentry_on.streamed_spans() if s["name"] == "chat gpt-4o-mini"]
    [span] = spans
    attributes = {name: value["value"] for name, value in span["attributes"].items()}
    assert attributes["sentry.op"] == "gen_ai.chat"
    assert attributes["model"] == "gpt-4o-mini"
    assert attributes["gen_ai.usage.input_tokens"] == 812
    assert attributes["gen_ai.usage.output_tokens"] == 240
    assert attributes["duration_ms"] >= 0
    assert span["status"] == "ok"


def test_a_finished_explanation_leaves_a_breadcrumb(sentry_on, queued):
    assert run_explanation(queued.pk) == "done"
    sentry_sdk.capture_message("later")
    sentry_sdk.flush()
    [event] = sentry_on.events()
    [crumb] = [c for c in event["breadcrumbs"]["values"] if c.get("category") == "explainer"]
    assert crumb["message"] == "Explanation done"
    assert crumb["data"]["provider"] == "builtin"
    assert crumb["data"]["duration_ms"] >= 0


def test_a_failed_explanation_is_a_warning_event_with_its_reason(sentry_on, fake_openai, queued):
    fake_openai.fail(500)
    assert run_explanation(queued.pk) == "failed"
    sentry_sdk.flush()
    [event] = sentry_on.events()
    assert event["level"] == "warning"
    assert "Explanation failed" in (event.get("message") or event["logentry"]["message"])
    assert event["contexts"]["explainer"]["reason_code"] == "llm"
    assert "HTTP 500" in event["contexts"]["explainer"]["error"]
    assert "sk-test" not in sentry_on.raw()
    crumbs = [c for c in event["breadcrumbs"]["values"] if c.get("category") == "gen_ai.chat"]
    assert crumbs and crumbs[0]["level"] == "error"
