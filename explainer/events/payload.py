"""A Sentry event as it arrives: unwrapped, its legacy keys renamed, checked, identified.

Older SDKs (raven-*) and some of Sentry's own samples name interfaces by their legacy paths
(`sentry.interfaces.Exception`, `sentry.interfaces.Http`, ...); browsers post Content Security
Policy reports as `{"csp-report": {...}}`. `modernize()` reads all of these as the modern keys
Sentry's ingest uses, so the rest of the app reads one vocabulary.
"""

import hashlib
import json
import re

from django.core.exceptions import ValidationError

from .values import as_dict

EVENT_ID = re.compile(r"^[0-9a-f]{32}$")

# Sentry's own mapping (sentry.eventstore.models / relay's legacy aliases).
LEGACY_KEYS = {
    "sentry.interfaces.Exception": "exception",
    "sentry.interfaces.Stacktrace": "stacktrace",
    "sentry.interfaces.Message": "logentry",
    "sentry.interfaces.Template": "template",
    "sentry.interfaces.Http": "request",
    "sentry.interfaces.User": "user",
    "sentry.interfaces.Csp": "csp",
    "sentry.interfaces.Nel": "nel",
    "sentry.interfaces.Hpkp": "hpkp",
    "sentry.interfaces.ExpectCT": "expectct",
    "sentry.interfaces.ExpectStaple": "expectstaple",
    "sentry.interfaces.Breadcrumbs": "breadcrumbs",
    "sentry.interfaces.Contexts": "contexts",
    "sentry.interfaces.Threads": "threads",
    "sentry.interfaces.DebugMeta": "debug_meta",
}
SECURITY_REPORTS = ("csp", "hpkp", "expectct", "expectstaple", "nel")
MARKERS = (
    "exception",
    "entries",
    "message",
    "logentry",
    "title",
    "stacktrace",
    "threads",
    *SECURITY_REPORTS,
)


def unwrap_event(body):
    """The event inside a webhook body, or the body itself."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict):
        data = body["data"]
        for key in ("event", "error"):
            if isinstance(data.get(key), dict):
                return data[key]
    return body


def _csp_from_browser_report(report: dict) -> dict:
    """A browser's `{"csp-report": {"document-uri": ...}}` as Sentry's `csp` interface."""
    fields = {key.replace("-", "_"): value for key, value in report.items()}
    blocked = fields.get("blocked_uri") or "inline"
    directive = fields.get("effective_directive") or fields.get("violated_directive") or ""
    return {
        "csp": fields,
        "logentry": {
            "formatted": f"Blocked '{directive.split()[0] if directive else '?'}' from '{blocked}'"
        },
        "culprit": fields.get("violated_directive") or directive,
        "request": {"url": fields.get("document_uri") or ""},
    }


def modernize(event):
    """A shallow copy of `event` with legacy interface keys renamed to their modern names."""
    if not isinstance(event, dict):
        return event
    if isinstance(event.get("csp-report"), dict) and len(event) == 1:
        return _csp_from_browser_report(event["csp-report"])
    modern = {}
    for key, value in event.items():
        name = LEGACY_KEYS.get(key, key)
        if name == "logentry" and key != "logentry" and isinstance(value, str):
            value = {"formatted": value}
        if name not in modern or key == name:  # the modern key wins over its legacy alias
            modern[name] = value
    # Old payloads put the formatted message in `message` and the interface beside it.
    if isinstance(modern.get("message"), dict) and "logentry" not in modern:
        modern["logentry"] = modern.pop("message")
    return modern


def validate_event(event) -> None:
    """Raise ValidationError unless `event` (modernized) looks like a Sentry event."""
    if not isinstance(event, dict):
        raise ValidationError(
            "Expected a JSON object: a Sentry event or an event.created webhook body.",
            code="not_an_event",
        )
    if not any(event.get(key) for key in MARKERS):
        raise ValidationError(
            "This JSON is not a Sentry event: it has none of exception, entries, message, "
            "logentry, title, stacktrace, threads or a security report (csp, hpkp, expectct). "
            "Use the “JSON” download of an event in Sentry, or a webhook body.",
            code="not_an_event",
        )
    entries = event.get("entries")
    if entries is not None and not isinstance(entries, list):
        raise ValidationError("“entries” must be a list.", code="not_an_event")
    exception = event.get("exception")
    if exception is not None and not isinstance(exception, dict | list):
        raise ValidationError("“exception” must be an object with “values”.", code="not_an_event")
    raw_id = _raw_id(event)
    if raw_id and not EVENT_ID.match(raw_id):
        raise ValidationError(
            "The event id must be 32 hexadecimal characters (a UUID).", code="bad_event_id"
        )


def _raw_id(event: dict) -> str:
    raw_id = event.get("event_id") or event.get("eventID") or event.get("id")
    return str(raw_id).replace("-", "").lower() if raw_id else ""


def event_id_of(event) -> str:
    """The event's own id, or one derived from its content: the same event, the same id."""
    event = as_dict(event)
    raw_id = _raw_id(event)
    if EVENT_ID.match(raw_id):
        return raw_id
    canonical = json.dumps(event, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def with_event_id(event: dict) -> dict:
    """`event` with `event_id` set (derived from its content when it has none)."""
    if EVENT_ID.match(_raw_id(event)):
        return event
    return {**event, "event_id": event_id_of(event)}
