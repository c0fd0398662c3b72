"""One shape for a Sentry event, whichever way it arrived.

Sentry hands events over in three shapes:

- the web API's (`GET .../events/latest/`): `entries: [{"type": "exception", "data": {...}},
  {"type": "breadcrumbs", ...}, {"type": "message", ...}, {"type": "request", ...}]`, frames with
  `lineNo`, `inApp` and `context: [[line, text], ...]`, tags as `[{"key", "value"}]`;
- the ingest/SDK shape (the "JSON" download in Sentry's UI): `exception.values[]`, frames with
  `lineno`, `in_app`, `pre_context`/`context_line`/`post_context`, tags as a dict or pairs;
- an integration webhook body: `{"action": "created", "data": {"event": {...}}}` (or
  `"error"` for `error.created`).

`normalize_event()` turns any of them into the dict the issue page, the JSON API and the
context builder all read. `unwrap_event()` + `validate_event()` guard the import.
"""

import re
import uuid

from django.core.exceptions import ValidationError

MAX_STRING = 4000
MAX_FRAMES = 60
MAX_EXCEPTIONS = 10
MAX_BREADCRUMBS = 100
MAX_TAGS = 100
MAX_CONTEXT_LINES = 7
EVENT_ID = re.compile(r"^[0-9a-f]{32}$")


def _text(value, limit=MAX_STRING) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = f"{text[:limit]}… [{len(text) - limit} more characters]"
    return text


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _values(container) -> list:
    """`{"values": [...]}` or a bare list."""
    if isinstance(container, dict):
        return _list(container.get("values"))
    return _list(container)


def unwrap_event(body):
    """The event inside a webhook body, or the body itself."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict):
        data = body["data"]
        for key in ("event", "error"):
            if isinstance(data.get(key), dict):
                return data[key]
    return body


def validate_event(event) -> None:
    """Raise ValidationError unless `event` looks like a Sentry event."""
    if not isinstance(event, dict):
        raise ValidationError(
            "Expected a JSON object: a Sentry event or an event.created webhook body.",
            code="not_an_event",
        )
    markers = ("exception", "entries", "message", "logentry", "title", "stacktrace")
    if not any(event.get(key) for key in markers):
        raise ValidationError(
            "This JSON is not a Sentry event: it has none of exception, entries, message, "
            "logentry or title. Use the “JSON” download of an event in Sentry, or a webhook body.",
            code="not_an_event",
        )
    entries = event.get("entries")
    if entries is not None and not isinstance(entries, list):
        raise ValidationError("“entries” must be a list.", code="not_an_event")
    exception = event.get("exception")
    if exception is not None and not isinstance(exception, dict | list):
        raise ValidationError("“exception” must be an object with “values”.", code="not_an_event")
    raw_id = event.get("event_id") or event.get("eventID") or event.get("id")
    if raw_id and not EVENT_ID.match(str(raw_id).replace("-", "").lower()):
        raise ValidationError(
            "The event id must be 32 hexadecimal characters (a UUID).", code="bad_event_id"
        )


def event_id_of(event) -> str:
    raw_id = event.get("event_id") or event.get("eventID") or event.get("id")
    if raw_id and EVENT_ID.match(str(raw_id).replace("-", "").lower()):
        return str(raw_id).replace("-", "").lower()
    return uuid.uuid4().hex


def _entries(event) -> dict:
    found = {}
    for entry in _list(event.get("entries")):
        if isinstance(entry, dict) and entry.get("type") and entry["type"] not in found:
            found[entry["type"]] = _dict(entry.get("data"))
    return found


def _frame(raw) -> dict:
    raw = _dict(raw)
    lineno = raw.get("lineno", raw.get("lineNo"))
    pre, line, post = [], None, []
    if isinstance(raw.get("context"), list):  # web API: [[lineno, text], ...]
        for item in raw["context"]:
            if not (isinstance(item, list) and len(item) == 2):
                continue
            number, text = item
            if number == lineno:
                line = text
            elif line is None:
                pre.append(text)
            else:
                post.append(text)
    else:
        pre = _list(raw.get("pre_context"))
        line = raw.get("context_line")
        post = _list(raw.get("post_context"))
    half = MAX_CONTEXT_LINES // 2
    in_app = raw.get("in_app", raw.get("inApp"))
    return {
        "filename": _text(raw.get("filename") or raw.get("abs_path") or raw.get("absPath"), 500),
        "absPath": _text(raw.get("abs_path") or raw.get("absPath"), 500),
        "module": _text(raw.get("module"), 500),
        "function": _text(raw.get("function") or raw.get("rawFunction"), 500),
        "lineno": lineno if isinstance(lineno, int) else None,
        "colno": raw.get("colno", raw.get("colNo")),
        "inApp": bool(in_app),
        "preContext": [_text(x, 300) for x in pre[-half:]],
        "contextLine": _text(line, 300) if line is not None else "",
        "postContext": [_text(x, 300) for x in post[:half]],
    }


def _frames(stacktrace) -> list[dict]:
    """Frames innermost first (where it was raised), capped, in-app frames kept first."""
    frames = [_frame(f) for f in reversed(_list(_dict(stacktrace).get("frames")))]
    if len(frames) > MAX_FRAMES:
        in_app = [f for f in frames if f["inApp"]][:MAX_FRAMES]
        rest = [f for f in frames if not f["inApp"]][: MAX_FRAMES - len(in_app)]
        keep = {id(f) for f in in_app + rest}
        frames = [f for f in frames if id(f) in keep]
    return frames


def _exceptions(values) -> list[dict]:
    """The chain, most recent (the one raised) first, each with its frames."""
    chain = []
    for raw in reversed(_list(values)):
        raw = _dict(raw)
        mechanism = _dict(raw.get("mechanism"))
        chain.append(
            {
                "type": _text(raw.get("type"), 300) or "Error",
                "value": _text(raw.get("value")),
                "module": _text(raw.get("module"), 300),
                "mechanism": _text(mechanism.get("type"), 100),
                "handled": mechanism.get("handled"),
                "frames": _frames(raw.get("stacktrace") or raw.get("rawStacktrace")),
            }
        )
        chain[-1]["libraryFrameCount"] = sum(not f["inApp"] for f in chain[-1]["frames"])
    return chain[:MAX_EXCEPTIONS]


def _breadcrumbs(values) -> list[dict]:
    crumbs = []
    for raw in _list(values)[-MAX_BREADCRUMBS:]:
        raw = _dict(raw)
        data = _dict(raw.get("data"))
        crumbs.append(
            {
                "timestamp": _text(raw.get("timestamp"), 40),
                "category": _text(raw.get("category"), 100),
                "type": _text(raw.get("type"), 40),
                "level": _text(raw.get("level"), 20),
                "message": _text(raw.get("message"), 500),
                "data": {_text(k, 100): _text(v, 300) for k, v in list(data.items())[:20]},
            }
        )
    return crumbs


def _tags(raw) -> list[dict]:
    if isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        pairs = []
        for item in _list(raw):
            if isinstance(item, dict):
                pairs.append((item.get("key"), item.get("value")))
            elif isinstance(item, list) and len(item) == 2:
                pairs.append((item[0], item[1]))
    return [{"key": _text(k, 200), "value": _text(v, 200)} for k, v in pairs[:MAX_TAGS]]


def _context_summary(contexts) -> dict:
    summary = {}
    for name in ("runtime", "os", "browser", "device"):
        ctx = _dict(_dict(contexts).get(name))
        text = " ".join(str(ctx[k]) for k in ("name", "version") if ctx.get(k)) or ctx.get(
            "raw_description"
        )
        if text:
            summary[name] = _text(text, 200)
    return summary


def _message(event, entries) -> str:
    logentry = _dict(event.get("logentry"))
    message = event.get("message")
    if isinstance(message, dict):
        message = message.get("formatted") or message.get("message")
    entry = entries.get("message", {})
    return _text(
        entry.get("formatted")
        or entry.get("message")
        or logentry.get("formatted")
        or logentry.get("message")
        or message
    )


def _release(event) -> str:
    release = event.get("release")
    if isinstance(release, dict):
        release = release.get("version") or release.get("shortVersion")
    return _text(release, 200)


def normalize_event(event) -> dict:
    """The one shape used by the issue page, the API and the context builder."""
    event = _dict(unwrap_event(event))
    entries = _entries(event)
    if "exception" in entries:
        exception_values = _values(entries["exception"])
    else:
        exception_values = _values(event.get("exception"))
    if not exception_values and isinstance(event.get("stacktrace"), dict):
        exception_values = [{"type": "Message", "stacktrace": event["stacktrace"]}]
    crumbs = (
        _values(entries["breadcrumbs"])
        if "breadcrumbs" in entries
        else _values(event.get("breadcrumbs"))
    )
    tags = _tags(event.get("tags"))
    tag_map = {tag["key"]: tag["value"] for tag in tags}
    exceptions = _exceptions(exception_values)
    message = _message(event, entries)
    title = event.get("title") or (
        f"{exceptions[0]['type']}: {exceptions[0]['value']}" if exceptions else message
    )
    request = _dict(entries.get("request") or event.get("request"))
    return {
        "eventId": event_id_of(event),
        "title": _text(title, 255),
        "message": message,
        "level": _text(event.get("level") or tag_map.get("level"), 20),
        "platform": _text(event.get("platform"), 40),
        "timestamp": _text(event.get("dateCreated") or event.get("timestamp") or "", 40),
        "release": _release(event) or tag_map.get("release", ""),
        "environment": _text(event.get("environment") or tag_map.get("environment"), 64),
        "culprit": _text(event.get("culprit") or event.get("transaction"), 300),
        "exceptions": exceptions,
        "breadcrumbs": crumbs and _breadcrumbs(crumbs),
        "tags": tags,
        "contexts": _context_summary(event.get("contexts")),
        "request": {
            "method": _text(request.get("method"), 10),
            "url": _text(request.get("url"), 500),
        }
        if request
        else {},
    }
