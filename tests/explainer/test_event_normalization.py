"""Events in the web API shape, the SDK/download shape and webhook bodies read alike."""

from explainer.events import normalize_event
from tests.fakes.sentry_server import load_event


def test_web_api_shape_with_entries():
    event = normalize_event(load_event("python_api.json"))
    assert event["eventId"] == "9a1f3c7e2b4d4e6f8a0b1c2d3e4f5a6b"
    assert event["release"] == "checkout@2.4.1"
    assert event["environment"] == "production"
    assert event["timestamp"] == "2026-11-20T09:14:03.112Z"
    raised = event["exceptions"][0]
    assert (raised["type"], raised["mechanism"], raised["handled"]) == (
        "ZeroDivisionError",
        "django",
        False,
    )
    frame = raised["frames"][-1]  # call order: where it was raised comes last
    assert frame["function"] == "apply_discount" and frame["lineno"] == 12 and frame["inApp"]
    assert frame["isRaiseSite"]
    assert frame["preContext"] == [
        "def apply_discount(total, rate):",
        "    periods = int(rate * 12)",
    ]
    assert frame["postContext"] == [""]
    assert frame["vars"] == {"rate": "0", "periods": "0"}  # only the empty locals
    assert len(event["breadcrumbs"]) == 3
    assert event["breadcrumbs"][0]["timestamp"] == "2026-11-20T09:14:02.900Z"
    assert {"key": "server_name", "value": "web-3"} in event["tags"]
    assert event["contexts"]["runtime"] == "CPython 3.12.7"
    assert event["request"] == {
        "method": "POST",
        "url": "https://shop.example.com/api/cart/checkout",
        "status": None,
    }


def test_sdk_download_shape():
    event = normalize_event(load_event("python_sdk.json"))
    assert event["eventId"] == "d1e2f3a4b5c64d7e8f9a0b1c2d3e4f5a"
    assert event["title"].startswith("ConnectionError: Connection refused")
    assert event["environment"] == "staging" and event["release"] == "jobs@0.9.2"
    frame = event["exceptions"][0]["frames"][-1]
    assert (frame["function"], frame["lineno"], frame["contextLine"]) == (
        "sync_invoices",
        27,
        "    invoices = client.fetch_all()",
    )
    assert event["breadcrumbs"][0]["message"] == "Task jobs.sync_invoices started"
    assert event["breadcrumbs"][0]["timestamp"] == "2025-11-20T09:59:59.500Z"  # from Unix time
    assert {"key": "queue", "value": "default"} in event["tags"]


def test_webhook_body_is_unwrapped():
    inner = load_event("python_sdk.json")
    wrapped = {"action": "created", "installation": {"uuid": "x"}, "data": {"event": inner}}
    assert normalize_event(wrapped) == normalize_event(inner)
    error_created = {"action": "created", "data": {"error": inner}}
    assert normalize_event(error_created) == normalize_event(inner)


def test_message_only_event():
    event = normalize_event({"event_id": "a" * 32, "logentry": {"formatted": "Cache miss storm"}})
    assert event["title"] == "Cache miss storm" and event["exceptions"] == []
