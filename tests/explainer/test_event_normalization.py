"""Events in the web API shape, the SDK/download shape and webhook bodies read alike."""

from explainer.events import normalize_event
from tests.fakes.sentry_server import load_event


def test_web_api_shape_with_entries():
    event = normalize_event(load_event("python_api.json"))
    assert event["eventId"] == "9a1f3c7e2b4d4e6f8a0b1c2d3e4f5a6b"
    assert event["release"] == "checkout@2.4.1"
    assert event["environment"] == "production"
    raised = event["exceptions"][0]
    assert (raised["type"], raised["mechanism"], raised["handled"]) == (
        "ZeroDivisionError",
        "django",
        False,
    )
    frame = raised["frames"][0]  # where it was raised comes first
    assert frame["function"] == "apply_discount" and frame["lineno"] == 12 and frame["inApp"]
    assert frame["preContext"] == [
        "def apply_discount(total, rate):",
        "    periods = int(rate * 12)",
    ]
    assert frame["postContext"] == [""]
    assert len(event["breadcrumbs"]) == 3
    assert {"key": "server_name", "value": "web-3"} in event["tags"]
    assert event["contexts"]["runtime"] == "CPython 3.12.7"
    assert event["request"] == {
        "method": "POST",
        "url": "https://shop.example.com/api/cart/checkout",
    }


def test_sdk_download_shape():
    event = normalize_event(load_event("python_sdk.json"))
    assert event["eventId"] == "d1e2f3a4b5c64d7e8f9a0b1c2d3e4f5a"
    assert event["title"].startswith("ConnectionError: Connection refused")
    assert event["environment"] == "staging" and event["release"] == "jobs@0.9.2"
    frame = event["exceptions"][0]["frames"][0]
    assert (frame["function"], frame["lineno"], frame["contextLine"]) == (
        "sync_invoices",
        27,
        "    invoices = client.fetch_all()",
    )
    assert event["breadcrumbs"][0]["message"] == "Task jobs.sync_invoices started"
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


def test_long_frame_lists_keep_in_app_frames():
    raw = load_event("java_api.json")
    frames = raw["entries"][0]["data"]["values"][-1]["stacktrace"]["frames"]
    frames[:0] = [
        {"filename": f"L{i}.java", "function": "f", "lineNo": i, "inApp": False} for i in range(500)
    ]
    event = normalize_event(raw)
    kept = event["exceptions"][0]["frames"]
    assert len(kept) <= 60
    assert [f["function"] for f in kept if f["inApp"]] == ["capture", "pay"]
