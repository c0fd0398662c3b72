"""monitored_call: a span and a breadcrumb with duration and status around outgoing calls."""

import pytest
import sentry_sdk

from sentry_manager.monitoring import monitored_call


def test_a_monitored_call_is_a_span_with_its_data_duration_and_status(sentry_on):
    with sentry_sdk.start_transaction(name="explain", op="task"):
        with monitored_call(
            "http.client", "GET /api/0/organizations/acme/issues/", endpoint="issues"
        ) as call:
            call.set_http_status(200)
        with monitored_call("gen_ai.chat", "chat gpt-4o-mini", model="gpt-4o-mini") as call:
            call.set_data("gen_ai.usage.input_tokens", 812)
            call.set_data("gen_ai.usage.output_tokens", 120)
    sentry_sdk.flush()

    [transaction] = sentry_on.transactions()
    spans = {span["op"]: span for span in transaction["spans"]}
    http = spans["http.client"]
    assert http["description"] == "GET /api/0/organizations/acme/issues/"
    assert http["data"]["endpoint"] == "issues"
    assert http["data"]["http.status_code"] == 200
    assert http["data"]["duration_ms"] >= 0
    assert http["status"] == "ok"
    # The SDK sends generative-AI spans in their own envelope item (span format v2).
    [llm] = sentry_on.streamed_spans()
    attributes = {name: value["value"] for name, value in llm["attributes"].items()}
    assert llm["name"] == "chat gpt-4o-mini"
    assert llm["status"] == "ok"
    assert attributes["sentry.op"] == "gen_ai.chat"
    assert attributes["model"] == "gpt-4o-mini"
    assert attributes["gen_ai.usage.input_tokens"] == 812
    assert attributes["gen_ai.usage.output_tokens"] == 120
    assert attributes["duration_ms"] >= 0


def test_a_failed_call_is_marked_and_leaves_a_breadcrumb_on_the_next_error(sentry_on):
    with (
        pytest.raises(ConnectionError),
        monitored_call("http.client", "GET /api/0/issues/1/", endpoint="issue"),
    ):
        raise ConnectionError("sentry.io unreachable")
    with monitored_call("http.client", "GET /api/0/issues/2/", endpoint="issue") as call:
        call.set_http_status(429)
    sentry_sdk.capture_message("explanation failed")
    sentry_sdk.flush()

    [event] = sentry_on.events()
    crumbs = [c for c in event["breadcrumbs"]["values"] if c.get("category") == "http.client"]
    assert [c["message"] for c in crumbs] == ["GET /api/0/issues/1/", "GET /api/0/issues/2/"]
    assert crumbs[0]["level"] == "error"
    assert crumbs[0]["data"]["status"] == "internal_error"
    assert crumbs[1]["level"] == "error"
    assert crumbs[1]["data"]["http.status_code"] == 429
    assert all(crumb["data"]["duration_ms"] >= 0 for crumb in crumbs)
