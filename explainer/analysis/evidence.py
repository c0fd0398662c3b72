"""What a normalized event shows about its error: the facts the built-in analysis reasons with.

The raise site (the innermost frame, whatever its origin) and the in-app frame nearest to it,
the failing line, the empty locals there (None/null/0/empty), what the failing line does with
them (the zero divisor of `total / periods`, the null receiver of `entry.price`, the missing
key), the last breadcrumbs, the request, the exception chain and the issue's facts. Every
pattern here runs on one source line or one message of bounded length.
"""

import re
from dataclasses import dataclass, field

from .. import issue_facts
from ..events import chain_lines, exception_label, frame_label
from .knowledge import ENTRIES, Entry

MAX_LINE = 300
MAX_CRUMBS = 5
WORDS = re.compile(r"[a-z0-9]+")
NAME = r"[A-Za-z_$@][\w$@]{0,60}"
DIVISOR = re.compile(rf"(?:/|//|%|\bdiv\b|\bdivmod\(|\bmod\b)\s{{0,3}}\(?\s{{0,3}}({NAME}|\d+)")
QUOTED = re.compile(r"['\"`:]([^'\"`\s]{1,80})['\"`]?")
NPE_NAME = re.compile(r"because \"([^\"]{1,80})\" is null")
MEMBER = {
    "reading": re.compile(r"\(reading '([^']{1,80})'\)"),
    "attribute": re.compile(r"has no attribute '([^']{1,80})'"),
    "method": re.compile(r"undefined method [`']([^'`]{1,80})'"),
    "member": re.compile(r"member function ([\w]{1,80})\(\)"),
}


def _types_of(exc_type: str) -> set[str]:
    names = {exc_type}
    for separator in (".", "::", "\\", "/"):
        names.add(exc_type.rsplit(separator, 1)[-1])
    return {name.lstrip("*") for name in names if name}


def _has_phrase(lowered: str, words: set[str], phrase: str) -> bool:
    return phrase in words if phrase.isalnum() else phrase in lowered


def lookup(exc_type: str, value: str) -> Entry | None:
    """The knowledge entry for an exception: type and phrase, then phrase, then type."""
    names = _types_of(exc_type)
    lowered = f" {exc_type} {value[:2000]} ".lower()
    words = set(WORDS.findall(lowered))
    scored = []
    for order, entry in enumerate(ENTRIES):
        typed = bool(names.intersection(entry.types))
        phrased = any(_has_phrase(lowered, words, phrase) for phrase in entry.phrases)
        if typed or phrased:
            scored.append((-(2 * phrased + typed), order, entry))
    return min(scored, key=lambda item: item[:2])[2] if scored else None


@dataclass
class Evidence:
    exception: dict | None
    site: dict | None  # the raise site: the innermost frame
    app_frame: dict | None  # the in-app frame nearest to the raise site (may be the site)
    app_frames: list = field(default_factory=list)  # in-app frames, innermost first
    line: str = ""
    empty_locals: dict = field(default_factory=dict)
    culprit_name: str = ""  # the zero divisor, the null receiver, the empty collection
    culprit_value: str = ""  # its value when the locals show it ("0", "None", "[]")
    missing_key: str = ""
    crumbs: list = field(default_factory=list)
    request: str = ""
    chain: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    entry: Entry | None = None


def _stack(event, exc) -> list[dict]:
    if exc is not None:
        return exc["frames"]
    return event["stack"]["frames"] if event["stack"] else []


def _crumb(crumb) -> str:
    parts = [crumb["timestamp"], f"[{crumb['category'] or crumb['type'] or 'log'}]"]
    parts.append(crumb["message"] or ", ".join(f"{k}={v}" for k, v in crumb["data"].items()))
    return " ".join(part for part in parts if part)[:300]


RECEIVER_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$@.?->&")


def _receiver(line: str, member: str) -> str:
    """`quote.price` in `quote.price.amount * n` (or `$cart->total()`, `@discount&.amount`)."""
    for accessor in (".", "?.", "->", "&."):
        index = line.find(f"{accessor}{member}")
        while index > 0:
            end = index + len(accessor) + len(member)
            if end >= len(line) or not (line[end].isalnum() or line[end] == "_"):
                start = index
                while start > 0 and line[start - 1] in RECEIVER_CHARS:
                    start -= 1
                return line[start:index].rstrip("?&-.").lstrip(".->&?")
            index = line.find(f"{accessor}{member}", end)
    return ""


def _probe_null(evidence: Evidence, value: str) -> None:
    named = NPE_NAME.search(value)  # Java's helpful NullPointerException messages
    if named:
        evidence.culprit_name = named.group(1)
    else:
        for pattern in MEMBER.values():
            member = pattern.search(value)
            if member:
                evidence.culprit_name = _receiver(evidence.line, member.group(1))
                break
    if not evidence.culprit_name:  # a single null local at the raise site says it all
        nulls = [
            k
            for k, v in evidence.empty_locals.items()
            if v.lower() in ("none", "null", "nil", "undefined")
        ]
        if len(nulls) == 1:
            evidence.culprit_name = nulls[0]
    evidence.culprit_value = evidence.empty_locals.get(evidence.culprit_name, "")


def _probe_divisor(evidence: Evidence) -> None:
    for match in DIVISOR.finditer(evidence.line):
        name = match.group(1)
        if name.isdigit():
            if int(name) == 0:
                evidence.culprit_name, evidence.culprit_value = "the literal 0", "0"
                return
            continue
        if name in evidence.empty_locals:
            evidence.culprit_name, evidence.culprit_value = name, evidence.empty_locals[name]
            return
        if not evidence.culprit_name:
            evidence.culprit_name = name  # the divisor, its value not shown


def _probe_index(evidence: Evidence) -> None:
    for name in re.findall(rf"({NAME})\s{{0,2}}\[", evidence.line):
        if evidence.empty_locals.get(name) in ("[]", "()", "''", '""', ""):
            evidence.culprit_name, evidence.culprit_value = name, evidence.empty_locals[name]
            return


def gather(event: dict, facts: dict | None = None) -> Evidence:
    exc = event["exceptions"][0] if event["exceptions"] else None
    stack = _stack(event, exc)
    site = stack[-1] if stack else None
    app_frames = [frame for frame in reversed(stack) if frame["inApp"]]
    evidence = Evidence(
        exception=exc,
        site=site,
        app_frame=app_frames[0] if app_frames else None,
        app_frames=app_frames,
        line=(site["contextLine"].strip()[:MAX_LINE] if site else ""),
        empty_locals=dict(site["vars"]) if site else {},
        crumbs=[_crumb(c) for c in event["breadcrumbs"][-MAX_CRUMBS:]],
        chain=chain_lines(event["exceptions"]),
        facts=issue_facts.statements(facts or {}),
    )
    request = event["request"]
    if request and request.get("url"):
        status = f" (HTTP {request['status']})" if request.get("status") else ""
        method = f"{request['method']} " if request.get("method") else ""
        evidence.request = f"{method}{request['url']}{status}"
    exc_type = exc["type"] if exc else ""
    value = (exc["value"] if exc else event["message"]) or ""
    evidence.entry = lookup(exc_type, value) if exc_type or value else None
    probe = evidence.entry.probe if evidence.entry else ""
    if probe == "divisor":
        _probe_divisor(evidence)
    elif probe == "null":
        _probe_null(evidence, value)
    elif probe == "index":
        _probe_index(evidence)
    elif probe == "key":
        quoted = QUOTED.search(value)
        evidence.missing_key = quoted.group(1) if quoted else ""
    return evidence


def where(frame: dict | None) -> str:
    if frame is None:
        return "an unknown location (the event has no stack trace)"
    return f"`{frame_label(frame)}`"


def label(evidence: Evidence, event: dict) -> str:
    if evidence.exception:
        return exception_label(evidence.exception)
    return event["message"] or event["title"]
