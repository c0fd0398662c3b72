"""Importing a Sentry event JSON (pasted, uploaded, posted): parse, check, scrub, store.

The same event imported again (same project, same event id; an event without an id gets one
derived from its content) returns the import that already exists instead of a second copy.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects import access
from projects.access import Action
from sentry_manager.lib import json_input

from .events import event_id_of, modernize, normalize_event, unwrap_event, validate_event
from .models import ImportedEvent
from .scrubbing import scrub


def parse_event_json(raw: bytes | str):
    """Decode an uploaded or pasted event, enforcing the size limit."""
    limit = settings.EVENT_IMPORT_MAX_BYTES
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size == 0 or not (raw.strip() if isinstance(raw, str) else raw.strip()):
        raise ValidationError("Paste or upload a Sentry event JSON.", code="empty")
    if size > limit:
        raise ValidationError(
            f"The event is {size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.",
            code="too_large",
        )
    try:
        return json_input.loads(raw)
    except json_input.JsonInputError as error:
        raise ValidationError(error.message, code=error.code) from error


def import_or_find_event(
    principal, project, body, *, source=ImportedEvent.SOURCE_PASTE
) -> tuple[ImportedEvent, bool]:
    """(import, created): the event stored scrubbed for `project`, or the existing import.

    Raises ValidationError, or AccessRefused for an event of an environment `principal` may
    not import into.
    """
    event = modernize(unwrap_event(body))
    validate_event(event)
    event_id = event_id_of(event)
    cleaned = {**scrub(event), "event_id": event_id}
    normalized = normalize_event(cleaned)
    access.require(principal, Action.IMPORT_EVENT, normalized["environment"][:64])
    existing = project.imported_events.filter(event_id=event_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            imported = ImportedEvent.objects.create(
                project=project,
                imported_by=principal.user,
                event_id=event_id,
                title=normalized["title"][:255] or "Untitled event",
                environment=normalized["environment"][:64],
                event=cleaned,
                source=source,
            )
    except IntegrityError:  # imported by another request a moment ago
        return project.imported_events.get(event_id=event_id), False
    return imported, True


def import_event(principal, project, body, *, source=ImportedEvent.SOURCE_PASTE) -> ImportedEvent:
    """Validate a Sentry event (or webhook body), scrub it and store it for `project` (or find
    the import of the same event); see `import_or_find_event`."""
    return import_or_find_event(principal, project, body, source=source)[0]


def normalized(imported: ImportedEvent) -> dict:
    """The stored (already scrubbed) event in the shape the pages and the API show."""
    return normalize_event(scrub(imported.event))
