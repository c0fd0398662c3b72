"""Every payload Sentry's SDKs send imports: legacy interface keys, message-only, security
reports, threads, native frames; with the request line, ISO 8601 times and a stable id."""

import json
import time

import pytest

from explainer.models import ImportedEvent
from tests.fakes.sentry_server import load_event


def post_event(api, project, body):
    return api.post(f"/api/projects/{project.id}/events", body, format="json")


@pytest.mark.parametrize(
    ("name", "title", "raised"),
    [
        ("ruby_legacy_sample.json", "ZeroDivisionError: divided by 0", "/"),
        (
            "php_legacy_sample.json",
            "Exception: This is a test exception sent from the Raven CLI.",
            "raven_cli_test",
        ),
        ("legacy_full_event.json", "TypeError: Cannot read property '1' of null", "batchedUpdates"),
    ],
)
def test_legacy_interface_keys_read_as_their_modern_names(api, make_project, name, title, raised):
    response = post_event(api, make_project(), load_event(name))
    assert response.status_code == 201, response.json()
    event = response.json()["event"]
    assert event["title"] == title
    assert event["exceptions"][0]["frames"][-1]["function"] == raised


def test_legacy_http_user_and_breadcrumbs_of_sentrys_full_event(api, make_project):
    event = post_event(api, make_project(), load_event("legacy_full_event.json")).json()["event"]
    assert event["request"]["url"] == "https://sentry.io/katon-direct/localhost/issues/112734598/"
    assert event["breadcrumbs"][0]["timestamp"] == "2017-06-02T09:16:51.630Z"
    assert event["breadcrumbs"][0]["data"]["status_code"] == "500"
    stored = json.dumps(ImportedEvent.objects.get().event)
    assert "test@example.com" not in stored and "41656" not in stored  # the legacy user too


def test_a_legacy_stacktrace_without_exception_is_a_stack(api, make_project):
    body = post_event(api, make_project(), load_event("python_legacy_stacktrace.json")).json()
    event = body["event"]
    assert event["exceptions"] == []
    assert event["stack"]["label"] == "Stack trace"
    assert body["title"] == "Stack trace at raven/scripts/runner.py:77 in send_test_message"


def test_a_message_only_event_with_params(api, make_project):
    body = {
        "logentry": {"message": "Cache miss storm on %s", "formatted": "Cache miss storm on eu-1"}
    }
    event = post_event(api, make_project(), body).json()["event"]
    assert (event["title"], event["message"]) == ("Cache miss storm on eu-1",) * 2


@pytest.mark.parametrize(
    ("name", "blocked", "document", "directive"),
    [
        (
            "csp_sample.json",
            "https://example.com",
            "https://example.com/welcome/",
            "script-src 'self' 'unsafe-eval' 'unsafe-inline' www.example.com",
        ),
        (
            "csp_browser_report.json",
            "https://cdn.evil-analytics.example/tag.js",
            "https://shop.example.com/checkout",
            "script-src-elem",
        ),
    ],
)
def test_csp_reports_keep_blocked_uri_document_uri_and_directive(
    api, browser_client, make_project, name, blocked, document, directive
):
    project = make_project()
    response = post_event(api, project, load_event(name))
    assert response.status_code == 201, response.json()
    report = response.json()["event"]["securityReport"]
    assert (report["kind"], report["blockedUri"], report["documentUri"]) == (
        "csp",
        blocked,
        document,
    )
    assert report["violatedDirective"] == directive
    page = browser_client.get(f"/projects/{project.slug}/events/{response.json()['id']}")
    html = page.content.decode()
    assert "CSP report" in html and "Blocked URI" in html
    for value in (blocked, document):
        assert f"<code>{value}</code>" in html


def test_a_native_crash_takes_its_stack_from_the_crashed_thread(api, make_project):
    event = post_event(api, make_project(), load_event("native_sdk.json")).json()["event"]
    crash = event["exceptions"][0]
    assert crash["thread"] == "main"
    raise_site = crash["frames"][-1]
    assert (raise_site["function"], raise_site["filename"], raise_site["inApp"]) == (
        "objc_msgSend",
        "libobjc.A.dylib",
        False,
    )
    assert raise_site["instructionAddr"] == "0x1a0b1c2d0"
    app = crash["frames"][-2]
    assert (app["function"], app["filename"], app["lineno"]) == (
        "-[CartViewController updateTotal]",
        "CartViewController.m",
        88,
    )
    assert [t["name"] for t in event["threads"]] == ["main", "com.apple.uikit.eventfetch-thread"]


def test_the_request_method_url_and_status_are_read(api, make_project):
    event = post_event(api, make_project(), load_event("java_sdk.json")).json()["event"]
    assert event["request"] == {
        "method": "POST",
        "url": "https://billing.example.com/api/payments?order=5512",
        "status": 500,
    }


def test_the_request_url_is_scrubbed(api, make_project):
    body = load_event("python_sdk.json")
    body["request"]["url"] = "https://jobs.example.com/run?api_key=k3yPLANTED&page=2"
    event = post_event(api, make_project(), body).json()["event"]
    assert event["request"]["url"] == "https://jobs.example.com/run?api_key=[filtered]&page=2"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        (1763632799.5, "2025-11-20T09:59:59.500Z"),
        (1763632799500, "2025-11-20T09:59:59.500Z"),
        ("1763632799", "2025-11-20T09:59:59Z"),
        ("2026-11-20T09:14:03.112000Z", "2026-11-20T09:14:03.112Z"),
        ("2026-11-20T10:14:03+01:00", "2026-11-20T09:14:03Z"),
        ("2026-11-20T09:14:03", "2026-11-20T09:14:03Z"),
    ],
)
def test_times_are_iso_8601_in_utc(api, make_project, raw, iso):
    body = {
        "message": "tick",
        "timestamp": raw,
        "breadcrumbs": [{"timestamp": raw, "message": "x"}],
    }
    event = post_event(api, make_project(), body).json()["event"]
    assert event["timestamp"] == iso and event["breadcrumbs"][0]["timestamp"] == iso


def test_an_event_without_id_gets_one_from_its_content(api, make_project):
    project = make_project()
    body = {"message": "Cache miss storm", "level": "warning", "timestamp": 1763632799.5}
    first = post_event(api, project, body)
    second = post_event(api, project, body)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["eventId"] == second.json()["eventId"]
    assert len(first.json()["eventId"]) == 32
    other = post_event(api, project, {**body, "message": "Another storm"})
    assert other.status_code == 201 and other.json()["eventId"] != first.json()["eventId"]
    assert ImportedEvent.objects.count() == 2


def test_importing_the_same_event_again_returns_the_existing_import(api, make_project):
    project = make_project()
    first = post_event(api, project, load_event("python_sdk.json"))
    again = post_event(api, project, load_event("python_sdk.json"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["created"] is False
    assert ImportedEvent.objects.count() == 1


def test_the_page_opens_the_existing_import_and_says_so(browser_client, make_project):
    project = make_project()
    url = f"/projects/{project.slug}/events/import"
    first = browser_client.post(url, {"event_json": json.dumps(load_event("python_sdk.json"))})
    again = browser_client.post(url, {"event_json": json.dumps(load_event("python_sdk.json"))})
    assert again.status_code == 302 and again.url == first.url
    html = browser_client.get(again.url).content.decode()
    assert "This event was imported before (" in html and "); here it is." in html
    assert ImportedEvent.objects.count() == 1


def test_a_5_mb_event_of_one_word_imports_in_well_under_10_seconds(api, make_project):
    project = make_project()
    body = {"event_id": "e" * 32, "message": "m" * 5_000_000, "level": "error"}
    started = time.monotonic()
    response = post_event(api, project, body)
    elapsed = time.monotonic() - started
    assert response.status_code == 201, response.json()
    assert elapsed < 5, f"the import took {elapsed:.1f} s"
    assert len(ImportedEvent.objects.get().event["message"]) == 5_000_000
