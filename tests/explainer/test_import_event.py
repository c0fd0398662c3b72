"""Importing an event: validated, scrubbed before it is stored, webhook bodies unwrapped."""

import json

import pytest
from django.core.exceptions import ValidationError

from explainer.event_import import import_event, parse_event_json
from explainer.models import ImportedEvent
from projects.access import SYSTEM, Principal
from tests.fakes.sentry_server import load_event


def test_import_stores_a_scrubbed_event(make_project, user):
    project = make_project()
    imported = import_event(Principal(user=user), project, load_event("python_api.json"))
    assert imported.event_id == "9a1f3c7e2b4d4e6f8a0b1c2d3e4f5a6b"
    assert imported.title == "ZeroDivisionError: division by zero"
    stored = json.dumps(ImportedEvent.objects.get().event)
    assert "jane.doe@example.com" not in stored and "sntrys_" not in stored
    assert "apply_discount" in stored


def test_import_unwraps_a_webhook_body(make_project):
    body = {"action": "created", "data": {"event": load_event("python_sdk.json")}}
    imported = import_event(SYSTEM, make_project(), body)
    assert imported.event_id == "d1e2f3a4b5c64d7e8f9a0b1c2d3e4f5a"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([1, 2], "Expected a JSON object"),
        ({"foo": "bar"}, "not a Sentry event"),
        ({"event_id": "nope", "message": "x"}, "32 hexadecimal"),
        ({"entries": "x", "title": "t"}, "must be a list"),
    ],
)
def test_import_rejects_what_is_not_an_event(make_project, body, message):
    with pytest.raises(ValidationError, match=message):
        import_event(SYSTEM, make_project(), body)
    assert ImportedEvent.objects.count() == 0


def test_parse_rejects_bad_json_empty_and_oversized(settings):
    with pytest.raises(ValidationError, match="not valid JSON"):
        parse_event_json("{nope")
    with pytest.raises(ValidationError, match="Paste or upload"):
        parse_event_json("  ")
    settings.EVENT_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is"):
        parse_event_json(json.dumps({"message": "x" * 200}))
