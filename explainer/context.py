"""The compact, scrubbed, size-bounded text about an event that may be sent to an LLM.

`build_context(event)` accepts a raw event in any shape Sentry uses (see `explainer.events`),
scrubs it, normalizes it and keeps what explains a crash best, in this order of priority:
the exception chain, the in-app frame where it was raised (with its context lines), the other
in-app frames, the message, the last breadcrumbs, tags, runtime/OS, release, then library
frames. Blocks that do not fit the token budget are left out, so a 5 MB event still yields a
context within the budget that holds the exception and the frame where it was raised.

Tokens are estimated without a tokenizer (nothing is loaded from the network): one token per
three UTF-8 bytes, rounded up. Real tokenizers average about four characters of English or
code per token, so the estimate is conservative.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings

from .events import normalize_event
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


def _frame_block(frame, with_context=True) -> str:
    where = frame["filename"] or frame["module"] or "?"
    line = f" line {frame['lineno']}" if frame["lineno"] is not None else ""
    marker = "" if frame["inApp"] else " [library]"
    head = f"  at {_clip(frame['function'], 200) or '?'} ({_clip(where, 200)}{line}){marker}"
    if not with_context or not frame["contextLine"]:
        return head
    lines = [f"      {_clip(x, 160)}" for x in frame["preContext"]]
    lines.append(f"    > {_clip(frame['contextLine'], 160)}")
    lines += [f"      {_clip(x, 160)}" for x in frame["postContext"]]
    return head + "\n" + "\n".join(lines)


def _blocks(event) -> list[tuple[int, float, str, str]]:
    """(priority, position, name, text): lower priority numbers are kept first."""
    blocks = []
    head = [f"Event: {_clip(event['title'], 300)}"]
    for label, key in (("Level", "level"), ("Platform", "platform"), ("Culprit", "culprit")):
        if event[key]:
            head.append(f"{label}: {_clip(event[key], 200)}")
    blocks.append((0, 0, "header", "\n".join(head)))

    for index, exc in enumerate(event["exceptions"]):
        relation = "Raised" if index == 0 else "Caused by / during handling of"
        value = _clip(exc["value"], MAX_VALUE)
        text = f"{relation}: {_clip(exc['type'], 200)}: {value}"
        blocks.append((1 if index < 3 else 5, 1 + index / 100, f"exception {index}", text))

    for index, exc in enumerate(event["exceptions"]):
        frames = exc["frames"]
        in_app = [f for f in frames if f["inApp"]]
        library = [f for f in frames if not f["inApp"]]
        base = 2 + index
        if frames:
            heading = (
                f"Stack of {_clip(exc['type'], 200)} (where it was raised first, in-app first):"
            )
            blocks.append((2 if index == 0 else 3, base - 0.0001, f"stack {index}", heading))
        for rank, frame in enumerate(in_app):
            priority = 2 if index == 0 and rank == 0 else 3 if rank < 5 else 6
            name = f"frame {index}.{rank}"
            blocks.append((priority, base + rank / 1000, name, _frame_block(frame)))
        if not in_app and library:  # no in-app frame: the raising frame is the best we have
            blocks.append(
                (2 if index == 0 else 3, base, f"frame {index}.0", _frame_block(library[0]))
            )
            library = library[1:]
        for rank, frame in enumerate(library):
            blocks.append(
                (8, base + 0.5 + rank / 1000, "library frame", _frame_block(frame, False))
            )

    if event["message"] and not event["exceptions"]:
        blocks.append((1, 1, "message", f"Message: {_clip(event['message'], MAX_VALUE)}"))
    elif event["message"]:
        blocks.append((4, 50, "message", f"Message: {_clip(event['message'], MAX_VALUE)}"))

    crumbs = event["breadcrumbs"][-MAX_BREADCRUMBS:]
    for rank, crumb in enumerate(reversed(crumbs)):
        text = " ".join(
            part
            for part in (
                crumb["timestamp"],
                f"[{crumb['category'] or crumb['type']}]"
                if crumb["category"] or crumb["type"]
                else "",
                crumb["level"] if crumb["level"] not in ("", "info") else "",
                _clip(crumb["message"], 200),
                _clip(", ".join(f"{k}={v}" for k, v in crumb["data"].items()), 200),
            )
            if part
        )
        blocks.append(
            (4 if rank < 10 else 7, 60 + (len(crumbs) - rank) / 1000, "breadcrumb", f"  {text}")
        )
    if crumbs:
        blocks.append((4, 60, "breadcrumbs heading", "Last breadcrumbs (oldest first):"))

    facts = []
    if event["release"]:
        facts.append(f"Release: {_clip(event['release'], 200)}")
    if event["environment"]:
        facts.append(f"Environment: {_clip(event['environment'], 64)}")
    for name, value in event["contexts"].items():
        facts.append(f"{name.capitalize()}: {_clip(value, 200)}")
    if facts:
        blocks.append((4, 0.5, "runtime", "\n".join(facts)))
    tags = event["tags"][:MAX_TAGS]
    if tags:
        text = "Tags: " + ", ".join(f"{_clip(t['key'], 60)}={_clip(t['value'], 100)}" for t in tags)
        blocks.append((5, 70, "tags", text))
    return blocks


def build_context(raw_event, budget: int | None = None) -> EventContext:
    """Scrub, normalize and fit `raw_event` into `budget` tokens (EXPLAINER_TOKEN_BUDGET)."""
    budget = budget or settings.EXPLAINER_TOKEN_BUDGET
    event = normalize_event(scrub(raw_event))
    blocks = sorted(_blocks(event), key=lambda block: (block[0], block[1]))
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
