"""`normalize_event()`: any Sentry event as the one dict pages, the API, prompts and the
built-in analysis read."""

from .frames import exceptions_of, frame_anchor, frame_label, stack_of, threads_of
from .payload import SECURITY_REPORTS, event_id_of, modernize, unwrap_event
from .values import as_dict, as_int, as_list, iso_time, text, values_of

MAX_BREADCRUMBS = 100
MAX_TAGS = 100
SECURITY_FIELDS = {
    "csp": (
        ("blockedUri", "blocked_uri"),
        ("documentUri", "document_uri"),
        ("violatedDirective", "violated_directive"),
        ("effectiveDirective", "effective_directive"),
        ("sourceFile", "source_file"),
        ("lineNumber", "line_number"),
        ("columnNumber", "column_number"),
        ("originalPolicy", "original_policy"),
        ("referrer", "referrer"),
        ("statusCode", "status_code"),
        ("disposition", "disposition"),
    ),
    "hpkp": (("hostname", "hostname"), ("port", "port"), ("knownPins", "known_pins")),
    "expectct": (("hostname", "hostname"), ("port", "port"), ("scts", "scts")),
    "expectstaple": (
        ("hostname", "hostname"),
        ("port", "port"),
        ("responseStatus", "response_status"),
    ),
    "nel": (("url", "url"), ("type", "type"), ("phase", "phase"), ("statusCode", "status_code")),
}


def _entries(event) -> dict:
    found = {}
    for entry in as_list(event.get("entries")):
        if isinstance(entry, dict) and entry.get("type") and entry["type"] not in found:
            found[entry["type"]] = as_dict(entry.get("data"))
    return found


def _interface(event, entries, name):
    """An interface from the web API's `entries` or from the event itself."""
    return entries[name] if name in entries else event.get(name)


def _breadcrumbs(values) -> list[dict]:
    crumbs = []
    for raw in as_list(values)[-MAX_BREADCRUMBS:]:
        raw = as_dict(raw)
        data = as_dict(raw.get("data"))
        crumbs.append(
            {
                "timestamp": iso_time(raw.get("timestamp")),
                "category": text(raw.get("category"), 100),
                "type": text(raw.get("type"), 40),
                "level": text(raw.get("level"), 20),
                "message": text(raw.get("message"), 500),
                "data": {text(k, 100): text(v, 300) for k, v in list(data.items())[:20]},
            }
        )
    return crumbs


def _tags(raw) -> list[dict]:
    if isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        pairs = []
        for item in as_list(raw):
            if isinstance(item, dict):
                pairs.append((item.get("key"), item.get("value")))
            elif isinstance(item, list) and len(item) == 2:
                pairs.append((item[0], item[1]))
    return [{"key": text(k, 200), "value": text(v, 200)} for k, v in pairs[:MAX_TAGS]]


def _context_summary(contexts) -> dict:
    summary = {}
    for name in ("runtime", "os", "browser", "device", "client_os"):
        ctx = as_dict(as_dict(contexts).get(name))
        described = " ".join(str(ctx[k]) for k in ("name", "version") if ctx.get(k)) or ctx.get(
            "raw_description"
        )
        if described:
            summary["os" if name == "client_os" and "os" not in summary else name] = text(
                described, 200
            )
    return summary


def _message(event, entries) -> str:
    logentry = as_dict(event.get("logentry"))
    message = event.get("message")
    if isinstance(message, dict):
        message = message.get("formatted") or message.get("message")
    entry = entries.get("message", {})
    return text(
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
    return text(release, 200)


def _status(event, tag_map) -> int | None:
    response = as_dict(as_dict(event.get("contexts")).get("response"))
    for value in (
        response.get("status_code"),
        tag_map.get("http.status_code"),
        tag_map.get("status_code"),
    ):
        status = as_int(value)
        if status is not None and 100 <= status <= 599:
            return status
    return None


def _request(event, entries, tag_map) -> dict:
    request = as_dict(_interface(event, entries, "request"))
    status = _status(event, tag_map)
    if not request and status is None:
        return {}
    url = text(request.get("url"), 500)
    query = request.get("query_string") or request.get("query")
    if isinstance(query, str) and query and "?" not in url:
        url = f"{url}?{query}"[:600]
    return {"method": text(request.get("method"), 10).upper(), "url": url, "status": status}


def _security_report(event, entries) -> dict:
    for kind in SECURITY_REPORTS:
        report = as_dict(_interface(event, entries, kind))
        if report:
            fields = {"kind": kind}
            for name, key in SECURITY_FIELDS[kind]:
                value = report.get(key, report.get(name))
                if value not in (None, "", []):
                    fields[name] = text(value, 500)
            return fields
    return {}


def _title(event, exceptions, message, report, stack) -> str:
    if event.get("title"):
        return text(event["title"], 255)
    if exceptions:
        first = exceptions[0]
        return text(f"{first['type']}: {first['value']}" if first["value"] else first["type"], 255)
    if message:
        return text(message, 255)
    if report:
        return f"{report['kind'].upper()} report: {report.get('violatedDirective', '')}".strip()
    if stack:
        return text(f"Stack trace at {frame_label(stack['frames'][-1])}", 255)
    return text(event.get("culprit") or event.get("transaction") or "Untitled event", 255)


def _message_stack(event, entries, threads) -> dict:
    """For an event without exceptions: its own stack trace, or its crashed thread's."""
    stacktrace = as_dict(_interface(event, entries, "stacktrace"))
    if as_list(stacktrace.get("frames")):
        return {"label": "Stack trace", "frames": stack_of(stacktrace["frames"])}
    for thread in sorted(threads, key=lambda t: (not t["crashed"], not t["current"])):
        if thread["rawFrames"] and (thread["crashed"] or thread["current"]):
            state = "crashed" if thread["crashed"] else "current"
            label = f"Stack of thread “{thread['name']}” ({state})"
            return {"label": label, "frames": stack_of(thread["rawFrames"])}
    return {}


def normalize_event(event) -> dict:
    """The one shape used by the issue page, the API, the prompt and the built-in analysis."""
    event = as_dict(modernize(unwrap_event(event)))
    entries = _entries(event)
    tags = _tags(event.get("tags"))
    tag_map = {tag["key"]: tag["value"] for tag in tags}
    platform = text(event.get("platform"), 40)
    threads = threads_of(_interface(event, entries, "threads"))
    exceptions = exceptions_of(
        values_of(_interface(event, entries, "exception")), threads, platform
    )
    message = _message(event, entries)
    report = _security_report(event, entries)
    stack = {} if exceptions else _message_stack(event, entries, threads)
    for index, frames in [(i, exc["frames"]) for i, exc in enumerate(exceptions)] + [
        ("s", stack.get("frames", []))
    ]:
        for position, frame in enumerate(frames):
            frame["anchor"] = frame_anchor(index, position)  # its id on a page
    return {
        "eventId": event_id_of(event),
        "title": _title(event, exceptions, message, report, stack),
        "message": message,
        "level": text(event.get("level") or tag_map.get("level"), 20),
        "platform": platform,
        "timestamp": iso_time(
            event.get("dateCreated") or event.get("timestamp") or event.get("datetime")
        ),
        "release": _release(event) or tag_map.get("release", ""),
        "environment": text(event.get("environment") or tag_map.get("environment"), 64),
        "culprit": text(event.get("culprit") or event.get("transaction"), 300),
        "exceptions": exceptions,
        "stack": stack,
        "threads": [
            {key: thread[key] for key in ("id", "name", "crashed", "current")}
            for thread in threads[:20]
        ],
        "breadcrumbs": _breadcrumbs(values_of(_interface(event, entries, "breadcrumbs"))),
        "tags": tags,
        "contexts": _context_summary(event.get("contexts")),
        "request": _request(event, entries, tag_map),
        "securityReport": report,
    }
