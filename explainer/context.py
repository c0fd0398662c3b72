"""The compact, scrubbed, size-bounded text about an event that may be sent to an LLM.

`build_context(event, facts=None)` accepts a raw event in any shape Sentry uses (see
`explainer.events`), scrubs it, normalizes it and keeps what explains a crash best, in this
order of priority: the exception chain (as a chain: "raised while handling ..."), the raise
site (the innermost frame, with its source lines and empty locals), the request line, the
issue's facts from Sentry, the in-app frames, the message or security report, the last
breadcrumbs, runtime and release, tags, then library frames. Blocks that do not fit the token
budget are left out, so a 5 MB event still yields a context within the budget that holds the
exception and the frame where it was raised. Stacks are written in call order (outermost
first), the raise site last and marked; runs of library frames are one line with a count.

Tokens are estimated without a tokenizer (nothing is loaded from the network): one token per
three UTF-8 bytes, rounded up. Real tokenizers average about four characters of English or
code per token, so the estimate is conservative.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings

from . import issue_facts
from .events import chain_lines, normalize_event
from .scrubbing import scrub, scrub_text

MAX_BREADCRUMBS = 20
MAX_TAGS = 30
MAX_VALUE = 1000


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text.encode("utf-8")) / 3)


@dataclass
class EventContext:
    text: str
    tokens: int
    budget: int
    omitted: list[str] = field(default_factory=list)


def _clip(text, limit) -> str:
    text = text or ""
    return text if len(text) <= limit else text[:limit] + "…"


def _frame_block(frame, with_source=True) -> str:
    where = frame["filename"] or frame["module"] or frame["package"] or "?"
    line = f" line {frame['lineno']}" if frame["lineno"] is not None else ""
    marker = " [app]" if frame["inApp"] else " [library]"
    if frame["isRaiseSite"]:
        marker += " <- raised here"
    head = f"  at {_clip(frame['function'], 200) or '?'} ({_clip(where, 200)}{line}){marker}"
    lines = [head]
    if with_source and frame["contextLine"]:
        lines += [f"      {_clip(x, 160)}" for x in frame["preContext"]]
        lines.append(f"    > {_clip(frame['contextLine'], 160)}")
        lines += [f"      {_clip(x, 160)}" for x in frame["postContext"]]
    if with_source and frame["vars"]:
        empty = ", ".join(f"{_clip(k, 60)} = {_clip(v, 20)}" for k, v in frame["vars"].items())
        lines.append(f"      empty locals here: {empty}")
    return "\n".join(lines)


def _hidden_block(hidden) -> str:
    kind = "library frames" if hidden["library"] else "frames"
    return (
        f"  … {hidden['count']} {kind} not shown ({_clip(hidden['first'], 120)} … "
        f"{_clip(hidden['last'], 120)})"
    )


def _stack_blocks(frames, index, label) -> list[tuple[int, float, str, str]]:
    """Blocks of one stack: the raise site is kept first, then in-app, then library frames."""
    base = 10 + index
    blocks = [(2 if index == 0 else 3, base, f"stack {index}", label)]
    for rank, frame in enumerate(frames):
        position = base + (rank + 1) / 1000
        if frame["hiddenBefore"]:
            blocks.append(
                (7, position - 0.0001, "hidden frames", _hidden_block(frame["hiddenBefore"]))
            )
        if frame["isRaiseSite"]:
            priority = 2 if index == 0 else 3
        elif frame["inApp"]:
            priority = 3 if index == 0 else 6
        else:
            priority = 8
        blocks.append((priority, position, f"frame {index}.{rank}", _frame_block(frame)))
    return blocks


def _request_line(request) -> str:
    if not request or not (request.get("url") or request.get("method")):
        return ""
    status = f" -> HTTP {request['status']}" if request.get("status") else ""
    method = request.get("method") or "(method unknown)"
    return f"Request: {method} {_clip(request.get('url'), 500)}{status}"


def _security_block(report) -> str:
    lines = [f"Security report ({report['kind']}):"]
    for key, value in report.items():
        if key != "kind":
            lines.append(f"  {key}: {_clip(value, 300)}")
    return "\n".join(lines)


def _crumb_line(crumb) -> str:
    parts = (
        crumb["timestamp"],
        f"[{crumb['category'] or crumb['type']}]" if crumb["category"] or crumb["type"] else "",
        crumb["level"] if crumb["level"] not in ("", "info") else "",
        _clip(crumb["message"], 200),
        _clip(", ".join(f"{k}={v}" for k, v in crumb["data"].items()), 200),
    )
    return "  " + " ".join(part for part in parts if part)


def _blocks(event, facts) -> list[tuple[int, float, str, str]]:
    """(priority, position, name, text): lower priority numbers are kept first."""
    blocks = []
    head = [f"Event: {_clip(event['title'], 300)}"]
    for label, key in (
        ("Level", "level"),
        ("Platform", "platform"),
        ("Culprit", "culprit"),
        ("Time", "timestamp"),
    ):
        if event[key]:
            head.append(f"{label}: {_clip(event[key], 200)}")
    blocks.append((0, 0, "header", "\n".join(head)))

    exceptions = event["exceptions"]
    if exceptions:
        lines = chain_lines(
            [{**exc, "value": _clip(exc["value"], MAX_VALUE)} for exc in exceptions]
        )
        text = "Exception chain (the raised exception first):\n" + "\n".join(
            f"  {number}. {line}" for number, line in enumerate(lines, 1)
        )
        blocks.append((1, 1, "exception chain", text))
    request_line = _request_line(event["request"])
    if request_line:
        blocks.append((2, 2, "request", request_line))
    fact_lines = issue_facts.statements(facts or {})
    if fact_lines:
        text = "Issue facts (Sentry, all events of this issue):\n" + "\n".join(
            f"  - {_clip(line, 300)}" for line in fact_lines
        )
        blocks.append((3, 3, "issue facts", text))

    for index, exc in enumerate(exceptions):
        label = (
            f"Stack of {_clip(exc['type'], 200)} (call order, outermost first; "
            f"{exc['frameCount']} frames{', thread ' + exc['thread'] if exc['thread'] else ''}):"
        )
        if exc["frames"]:
            blocks += _stack_blocks(exc["frames"], index, label)
    if event["stack"]:
        blocks += _stack_blocks(event["stack"]["frames"], 0, event["stack"]["label"] + ":")

    if event["message"]:
        priority = 4 if exceptions else 1
        blocks.append((priority, 1.5, "message", f"Message: {_clip(event['message'], MAX_VALUE)}"))
    if event["securityReport"]:
        blocks.append((1, 1.6, "security report", _security_block(event["securityReport"])))

    crumbs = event["breadcrumbs"][-MAX_BREADCRUMBS:]
    for rank, crumb in enumerate(reversed(crumbs)):
        position = 60 + (len(crumbs) - rank) / 1000
        blocks.append((4 if rank < 10 else 7, position, "breadcrumb", _crumb_line(crumb)))
    if crumbs:
        blocks.append((4, 60, "breadcrumbs heading", "Last breadcrumbs (oldest first):"))

    runtime = []
    if event["release"]:
        runtime.append(f"Release: {_clip(event['release'], 200)}")
    if event["environment"]:
        runtime.append(f"Environment: {_clip(event['environment'], 64)}")
    for name, value in event["contexts"].items():
        runtime.append(f"{name.capitalize()}: {_clip(value, 200)}")
    if runtime:
        blocks.append((4, 4, "runtime", "\n".join(runtime)))
    tags = event["tags"][:MAX_TAGS]
    if tags:
        text = "Tags: " + ", ".join(f"{_clip(t['key'], 60)}={_clip(t['value'], 100)}" for t in tags)
        blocks.append((5, 70, "tags", text))
    return blocks


def fit_context(event: dict, budget: int | None = None, facts: dict | None = None) -> EventContext:
    """Fit a normalized, scrubbed `event` (and the issue's `facts`) into `budget` tokens."""
    budget = budget or settings.EXPLAINER_TOKEN_BUDGET
    blocks = sorted(_blocks(event, facts), key=lambda block: (block[0], block[1]))
    chosen, omitted, used = [], [], 0
    for block in blocks:
        cost = estimate_tokens(block[3]) + 1  # + the newline joining it
        if used + cost <= budget:
            chosen.append(block)
            used += cost
        else:
            omitted.append(block[2])
    chosen.sort(key=lambda block: block[1])
    text = scrub_text("\n".join(block[3] for block in chosen))
    if estimate_tokens(text) > budget:  # a budget too small for even the exception
        text = text.encode("utf-8")[: budget * 3].decode("utf-8", "ignore")
    return EventContext(text=text, tokens=estimate_tokens(text), budget=budget, omitted=omitted)


def build_context(raw_event, budget: int | None = None, facts: dict | None = None) -> EventContext:
    """Scrub, normalize and fit `raw_event` (and the issue's `facts`) into `budget` tokens."""
    return fit_context(normalize_event(scrub(raw_event)), budget, facts)
