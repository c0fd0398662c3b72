"""The built-in analysis: a deterministic explanation when no LLM is configured.

It reads the normalized event (see `explainer.events`): the exception type maps to known
causes, the in-app frame where it was raised names the code, the breadcrumbs before it show
what happened, and a specification skeleton is filled from those facts.
"""

import re

PROVIDER = "builtin"
MODEL = "built-in analysis (no LLM configured)"
MAX_CRUMBS = 5

# (pattern on "Type: value", known causes, the usual fix)
KNOWN_CAUSES = [
    (
        r"KeyError|NoSuchElementException|IndexError|ArrayIndexOutOfBounds|IndexOutOfBounds",
        "a lookup of a key or index that the collection does not hold",
        "Check that the key/index exists (or use a default) before reading it, and find out "
        "why the data lacks it.",
    ),
    (
        r"NullPointerException|AttributeError: 'NoneType'|Cannot read propert(y|ies) of "
        r"(undefined|null)|undefined is not an object|is not a function|NoneType",
        "a value that is null/None/undefined where the code expects an object",
        "Guard against the missing value (or make it impossible upstream) and handle the empty "
        "case explicitly.",
    ),
    (
        r"TypeError|ClassCastException|AttributeError",
        "a value of an unexpected type or shape reaching this code",
        "Validate the input where it enters the system and convert or reject values of the "
        "wrong type.",
    ),
    (
        r"ValueError|NumberFormatException|IllegalArgumentException|RangeError|"
        r"ValidationError|JSONDecodeError|SyntaxError",
        "input the code cannot parse or accept",
        "Validate the input and report a clear error instead of failing deep in the code.",
    ),
    (
        r"ConnectionError|ConnectException|ECONNREFUSED|ECONNRESET|Timeout|TimedOut|"
        r"FetchError|NetworkError|SocketException|UnknownHost|OperationalError",
        "a dependency (database, HTTP service, network) that was unreachable or too slow",
        "Add a timeout, a bounded retry with backoff and a clear failure path; check the "
        "dependency's health and configuration.",
    ),
    (
        r"PermissionError|AccessDenied|Forbidden|Unauthorized|SecurityException|401|403",
        "missing permissions or credentials",
        "Check the credentials and permissions the code runs with and handle refusals.",
    ),
    (
        r"IllegalStateException|InvalidOperation|InvalidStateError|RuntimeError",
        "an operation called in a state that does not allow it (done twice, out of order, or "
        "after a concurrent change)",
        "Check the state before acting, make the operation idempotent, and handle the repeated "
        "or out-of-order call explicitly.",
    ),
    (
        r"ZeroDivisionError|ArithmeticException|divide by zero",
        "a division by zero",
        "Handle the zero case before dividing.",
    ),
    (
        r"MemoryError|OutOfMemoryError|RecursionError|StackOverflowError|Maximum call stack",
        "resource exhaustion (memory or recursion depth)",
        "Bound the size of the data or the recursion depth; process large inputs in chunks.",
    ),
    (
        r"IntegrityError|ConcurrentModification|Deadlock|UniqueViolation|DoesNotExist",
        "data that does not match what the code assumes (missing row, duplicate, race)",
        "Make the operation idempotent or handle the missing/duplicate case; check concurrent "
        "writers.",
    ),
]
UNKNOWN = (
    "a condition this analysis does not recognise from the exception type",
    "Read the raising frame and the breadcrumbs below; reproduce with the same input.",
)


def _cause(exc_type: str, value: str) -> tuple[str, str]:
    text = f"{exc_type}: {value}"
    for pattern, cause, fix in KNOWN_CAUSES:
        if re.search(pattern, text):
            return cause, fix
    return UNKNOWN


def _where(frame) -> str:
    if frame is None:
        return "an unknown location (the event has no stack trace)"
    name = frame["filename"] or frame["module"] or "?"
    line = f", line {frame['lineno']}" if frame["lineno"] is not None else ""
    return f"`{frame['function'] or '?'}` in `{name}`{line}"


def _crumb(crumb) -> str:
    parts = [crumb["timestamp"], f"[{crumb['category'] or crumb['type'] or 'log'}]"]
    parts.append(crumb["message"] or ", ".join(f"{k}={v}" for k, v in crumb["data"].items()))
    return " ".join(part for part in parts if part)[:300]


def analyse(event: dict) -> dict:
    """Explanation fields (as `llm.validate_reply` returns them) for a normalized event."""
    exceptions = event["exceptions"]
    exc = exceptions[0] if exceptions else None
    exc_type = exc["type"] if exc else "Message"
    value = (exc["value"] if exc else event["message"]) or event["title"]
    frames = exc["frames"] if exc else []
    in_app = next((f for f in frames if f["inApp"]), None)
    raising = in_app or (frames[0] if frames else None)
    cause, fix = _cause(exc_type, value)
    crumbs = [_crumb(c) for c in event["breadcrumbs"][-MAX_CRUMBS:]]
    where = _where(raising)
    origin = "in-app frame" if in_app else "frame"

    summary = f"`{exc_type}: {value[:300]}` was raised in {where}."
    summary += f" The usual cause of this error is {cause}."
    if len(exceptions) > 1:
        summary += f" It happened while handling `{exceptions[1]['type']}`."

    root_cause = f"The {origin} {where} raised `{exc_type}`"
    if raising and raising["contextLine"]:
        root_cause += f" at `{raising['contextLine'].strip()[:200]}`"
    root_cause += f"; the likely condition is {cause}."

    evidence = []
    if raising:
        evidence.append(
            f"frame: {where}"
            + (f": {raising['contextLine'].strip()}"[:300] if raising["contextLine"] else "")
        )
    evidence += [f"breadcrumb: {c}" for c in crumbs]

    crumb_lines = "\n".join(f"- {c}" for c in crumbs) or "- (no breadcrumbs in the event)"
    components = [where]
    components += [_where(f) for f in frames if f["inApp"] and f is not raising][:3]
    specification = "\n".join(
        [
            "## Problem",
            "",
            f"`{exc_type}: {value[:500]}` ({event['level'] or 'error'}"
            f"{', ' + event['environment'] if event['environment'] else ''}"
            f"{', release ' + event['release'] if event['release'] else ''}).",
            "",
            "Breadcrumbs before the error:",
            "",
            crumb_lines,
            "",
            "## Affected components",
            "",
            *[f"- {c}" for c in components],
            "",
            "## Proposed change",
            "",
            f"In {where}: {fix}",
            "",
            "## Acceptance criteria",
            "",
            f"- The input that led to this event no longer raises `{exc_type}`.",
            "- The failure case is handled with a clear message or a safe default.",
            "- No new Sentry events with this fingerprint after the release.",
            "",
            "## Test plan",
            "",
            f"- A unit test that drives {where} with the input from the breadcrumbs above and "
            f"expects no `{exc_type}`.",
            "- A test of the failure path (missing / invalid / unreachable data).",
            "",
            "## Risks",
            "",
            "- This is a built-in analysis without an LLM: it reads the exception type and the "
            "stack, not the whole code base; confirm the cause before changing the code.",
            "- Handling the error silently can hide a real data problem; log or report it.",
        ]
    )
    return {
        "summary": summary,
        "root_cause": root_cause,
        "specification": specification,
        "suggested_fix": fix,
        "confidence": "medium" if in_app and cause != UNKNOWN[0] else "low",
        "evidence": evidence,
    }
