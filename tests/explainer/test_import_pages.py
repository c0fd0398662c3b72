"""Importing an event: the page (paste, upload) and POST /api/projects/<id>/events."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from explainer.models import ImportedEvent
from tests.fakes.sentry_server import EVENTS, load_event


def test_paste_an_event_then_see_it(browser_client, make_project):
    project = make_project()
    response = browser_client.post(
        f"/projects/{project.slug}/events/import",
        {"event_json": (EVENTS / "java_api.json").read_text()},
    )
    imported = ImportedEvent.objects.get()
    assert response.status_code == 302 and response.url.endswith(str(imported.pk))
    html = browser_client.get(response.url).content.decode()
    assert "IllegalStateException" in html and "PaymentService.java" in html
    assert "AKIAIOSFODNN7EXAMPLE" not in html


def test_upload_an_event_file(browser_client, make_project):
    project = make_project()
    upload = SimpleUploadedFile("event.json", (EVENTS / "python_sdk.json").read_bytes())
    response = browser_client.post(
        f"/projects/{project.slug}/events/import",
        {"event_file": upload},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response.headers["HX-Redirect"]
    assert ImportedEvent.objects.get().source == "upload"


def test_the_event_page_says_how_and_when_it_came_with_times_to_hover(browser_client, make_project):
    project = make_project()
    upload = SimpleUploadedFile("event.json", (EVENTS / "python_sdk.json").read_bytes())
    url = browser_client.post(f"/projects/{project.slug}/events/import", {"event_file": upload}).url
    html = browser_client.get(url).content.decode()
    assert "Uploaded as a file <time" in html and "Imported uploaded" not in html
    # The event's own time (ISO) and its breadcrumb's (a Unix epoch) read as times, not numbers.
    assert '<dt>When</dt><dd id="event-time"><time datetime="2026-11-20T10:00:00Z"' in html
    assert "1763632799.5" not in html
    assert '<time datetime="2025-11-20T09:59:59.500Z"' in html


def test_bad_json_is_shown_in_place_and_nothing_stored(browser_client, make_project):
    project = make_project()
    response = browser_client.post(
        f"/projects/{project.slug}/events/import",
        {"event_json": "{not json"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "not valid JSON" in html and "{not json" in html
    assert ImportedEvent.objects.count() == 0


def test_an_oversized_upload_is_refused(browser_client, make_project, settings):
    settings.EVENT_IMPORT_MAX_BYTES = 1000
    project = make_project()
    upload = SimpleUploadedFile("event.json", b"{" + b" " * 2000 + b"}")
    response = browser_client.post(
        f"/projects/{project.slug}/events/import", {"event_file": upload}
    )
    assert response.status_code == 422 and "the limit is" in response.content.decode()
    assert ImportedEvent.objects.count() == 0


def test_api_import_returns_the_normalized_event(api, make_project):
    project = make_project()
    body = {"action": "created", "data": {"event": load_event("python_sdk.json")}}
    response = api.post(f"/api/projects/{project.id}/events", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["eventId"] == "d1e2f3a4b5c64d7e8f9a0b1c2d3e4f5a"
    assert data["event"]["exceptions"][0]["type"] == "ConnectionError"
    assert "Tr0ub4dor" not in json.dumps(data)


def test_api_import_rejects_a_non_event_with_the_error_shape(api, make_project):
    project = make_project()
    response = api.post(f"/api/projects/{project.id}/events", {"hello": 1}, format="json")
    assert response.status_code == 400
    assert "not a Sentry event" in response.json()["detail"]
    assert ImportedEvent.objects.count() == 0


def test_api_import_refuses_more_than_the_limit(api, make_project, settings):
    settings.EVENT_IMPORT_MAX_BYTES = 1000
    project = make_project()
    body = {"message": "x" * 2000}
    response = api.post(f"/api/projects/{project.id}/events", body, format="json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_api_imports_a_5_mb_event_and_its_context_fits_the_budget(api, make_project):
    from explainer.context import build_context
    from tests.explainer.test_context_budget import grown_event

    project = make_project()
    event = grown_event(5 * 1024 * 1024 - 200_000)
    response = api.post(f"/api/projects/{project.id}/events", event, format="json")
    assert response.status_code == 201
    imported = ImportedEvent.objects.get()
    context = build_context(imported.event)
    assert context.tokens <= 12_000 and "ZeroDivisionError" in context.text
