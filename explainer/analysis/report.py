"""The built-in analysis written out: the fields of a root-cause analysis, from the evidence.

Every sentence names something the event shows (the raise site, the failing line, the empty
local, the request, the chain, the issue's facts); the knowledge base adds what such an error
usually means and how it is usually fixed.
"""

from ..events import frame_label
from .evidence import Evidence, gather, label, where

CAVEAT = (
    "This is the built-in analysis, without an LLM: it reads the event (stack, locals, "
    "breadcrumbs, request) and a knowledge base of common exception types, not the code base; "
    "confirm the cause in the code before changing it."
)


def _finding(ev: Evidence) -> str:
    """The specific fact behind this error, when the event shows it."""
    probe = ev.entry.probe if ev.entry else ""
    name, value = ev.culprit_name, ev.culprit_value
    if probe == "divisor" and name == "the literal 0":
        return "The failing line divides by the literal 0."
    if probe == "divisor" and name:
        if value:
            return f"The divisor `{name}` was {value} at the raise site."
        return f"The divisor is `{name}`; the event does not show its value."
    if probe == "null" and name:
        shown = f"was {value}" if value else "was null/undefined (from the message)"
        return f"`{name}` {shown} when the failing line used it."
    if probe == "index" and name:
        return f"`{name}` was empty ({value}) when the failing line indexed it."
    if ev.missing_key:
        return f"The missing key is `{ev.missing_key}`."
    return ""


def _inputs(ev: Evidence) -> str:
    """The input of this event, as far as the event shows it."""
    parts = [f"`{k} = {v}`" for k, v in list(ev.empty_locals.items())[:4]]
    if ev.missing_key:
        parts.append(f"data without the key `{ev.missing_key}`")
    if ev.request:
        parts.append(f"the request `{ev.request}`")
    return ", ".join(parts) or "the input of the event (see the breadcrumbs)"


def _function(ev: Evidence) -> str:
    frame = ev.app_frame or ev.site
    return f"`{frame['function'] or '?'}`" if frame else "the failing code"


def _code_locations(ev: Evidence, event: dict) -> list[dict]:
    found, seen = [], set()

    def add(frame, why):
        key = (frame["filename"], frame["lineno"], frame["function"])
        if key not in seen:
            seen.add(key)
            found.append(
                {
                    "file": frame["filename"] or frame["module"],
                    "line": frame["lineno"],
                    "function": frame["function"],
                    "why": why[:300],
                }
            )

    if ev.site:
        line = f": `{ev.line}`" if ev.line else ""
        add(ev.site, f"raise site of `{label(ev, event)[:120]}`{line}")
    if ev.app_frame and ev.app_frame is not ev.site:
        add(ev.app_frame, "the application code nearest to the raise site")
    for frame in ev.app_frames[1:3]:
        add(frame, "calls into the failing code")
    for exc in event["exceptions"][1:3]:
        if exc["frames"]:
            add(exc["frames"][-1], f"raised the earlier `{exc['type']}` in the chain")
    return found[:6]


def _outcome(ev: Evidence) -> str:
    probe = ev.entry.probe if ev.entry else ""
    return {
        "divisor": "a defined result (or a clear validation error) instead of a division by zero",
        "null": "a handled empty case instead of a null dereference",
        "key": "a default or a clear error naming the missing key",
        "index": "a handled empty collection",
    }.get(probe, "a handled outcome (a clear error or a safe default)")


def _specific_fix(ev: Evidence) -> str:
    probe = ev.entry.probe if ev.entry else ""
    name = ev.culprit_name
    line = f" before `{ev.line}`" if ev.line else ""
    if probe == "divisor" and name and name != "the literal 0":
        return f"Handle `{name}` = 0{line}: return a defined result or reject the input."
    if probe == "null" and name:
        return f"Handle `{name}` being empty{line}, and find out why it is empty for this input."
    if probe == "key" and ev.missing_key:
        return f"Read `{ev.missing_key}` with a default or validate that the data holds it."
    if probe == "index" and name:
        return f"Check that `{name}` is not empty{line}."
    return ""


def _confidence(ev: Evidence, finding: str) -> tuple[str, str]:
    reasons = []
    if ev.entry:
        reasons.append(f"the exception is a known kind ({ev.entry.topic.split(' (')[0]})")
    if ev.line:
        reasons.append(f"the failing line is in the event (`{ev.line[:80]}`)")
    if ev.app_frame:
        reasons.append(f"application code is on the stack ({frame_label(ev.app_frame)})")
    if finding:
        reasons.append("the locals or the message show the culprit value")
    level = "high" if len(reasons) == 4 else "medium" if len(reasons) >= 2 else "low"
    missing = []
    if not ev.line:
        missing.append("no source line at the raise site")
    if not ev.app_frame:
        missing.append("no application frame on the stack")
    text = f"{level.capitalize()}: " + ("; ".join(reasons) or "the event shows little")
    if missing:
        text += f". Missing: {', '.join(missing)}."
    return level, text


def _security(event: dict) -> dict | None:
    report = event["securityReport"]
    if not report or event["exceptions"]:
        return None
    blocked = report.get("blockedUri", "an inline resource")
    page = report.get("documentUri", "the page")
    directive = report.get("violatedDirective") or report.get("effectiveDirective") or "?"
    summary = (
        f"The browser blocked `{blocked}` on `{page}`: it violates the {report['kind'].upper()} "
        f"directive `{directive}`."
    )
    effective = report.get("effectiveDirective", directive)
    fix = (
        f"If `{blocked}` is meant to load, allow it in `{effective}`;"
        " otherwise find what injects it (a browser extension, a third-party script, an "
        "injection attempt) and leave the policy as it is."
    )
    return {
        "summary": summary,
        "root_cause": f"{summary} The page's policy does not list this source for this kind of "
        "resource, so the browser refused it and sent this report.",
        "reproduction_steps": f"1. Open `{page}` in a browser with the developer console open.\n"
        f"2. Watch for the violation of `{directive}` when `{blocked}` loads.",
        "code_locations": [],
        "specification": "\n".join(
            [
                "## Problem",
                "",
                summary,
                "",
                "## Affected components",
                "",
                f"- The Content-Security-Policy served with `{page}`",
                "",
                "## Proposed change",
                "",
                fix,
                "",
                "## Acceptance criteria",
                "",
                f"- Loading `{page}` sends no report for `{blocked}` and `{directive}`.",
                "",
                "## Test plan",
                "",
                f"- A browser test that opens `{page}` and asserts no CSP violation is reported.",
                "",
                "## Risks",
                "",
                "- Widening a policy can allow an attack the report was warning about.",
                f"- {CAVEAT}",
            ]
        ),
        "suggested_fix": fix,
        "confidence": "medium",
        "confidence_reason": "Medium: the report names the blocked source, the page and the "
        "directive; whether the source is legitimate is not in the event.",
        "evidence": [f"{key}: {value}" for key, value in report.items()][:10],
    }


def _opening(ev: Evidence, name: str, site: str, line: str) -> str:
    if ev.exception:
        return f"`{name}` was raised at {site}{line}."
    if ev.site:
        return f"The message “{name}” was reported (a message, not an exception) at {site}{line}."
    return f"The message “{name}” was reported (a message, not an exception; no stack trace)."


def _unknown_cause(ev: Evidence, exc_type: str, name: str, site: str, line: str) -> str:
    if ev.exception:
        cause = (
            f"`{exc_type}` is specific to this application or a library (it is not one of the "
            f"common exception types this analysis knows), so this rests on the event alone: it "
            f"was raised at {site}{line} with the message “{name}”."
        )
    else:
        cause = f"This event is a message the application reported, not an exception: “{name}”" + (
            f", from {site}{line}." if ev.site else "."
        )
    if ev.crumbs:
        cause += f" The last step before it: {ev.crumbs[-1]}."
    return cause


def analyse(event: dict, facts: dict | None = None) -> dict:
    """Explanation fields (as `llm.validate_reply` returns them) for a normalized event."""
    security = _security(event)
    if security:
        return security
    ev = gather(event, facts)
    name = label(ev, event)[:300]
    exc_type = ev.exception["type"] if ev.exception else "Message"
    site = where(ev.site)
    finding = _finding(ev)
    line = f" (`{ev.line}`)" if ev.line else ""

    summary = _opening(ev, name, site, line)
    if ev.site and not ev.site["inApp"] and ev.app_frame:
        summary += f" That is library code; the application called it from {where(ev.app_frame)}."
    if finding:
        summary += f" {finding}"
    if len(ev.chain) > 1:
        summary += f" It was {ev.chain[1]}."
    if ev.facts:
        summary += f" Sentry: {'; '.join(ev.facts[:2])}."

    if ev.entry:
        root_cause = f"{ev.entry.topic[0].upper()}{ev.entry.topic[1:]} at {site}{line}. "
        root_cause += f"{finding + ' ' if finding else ''}{ev.entry.cause}"
    else:
        root_cause = _unknown_cause(ev, exc_type, name, site, line)
    if len(ev.chain) > 1:
        root_cause += f" It was {ev.chain[1]}: fix that first failure too."

    first = (
        f"Send the request of the event: `{ev.request}`."
        if ev.request
        else f"Run `{event['culprit']}` (the event's transaction)."
        if event["culprit"]
        else f"Run the code path that reaches {where(ev.app_frame or ev.site)}."
    )
    steps = [first]
    if ev.crumbs:
        steps.append(
            "Replay what happened just before (the last breadcrumbs): "
            + "; ".join(f"`{c}`" for c in ev.crumbs[-3:])
            + "."
        )
    if ev.empty_locals or ev.missing_key:
        steps.append(f"Use an input with {_inputs(ev)}.")
    if len(ev.chain) > 1:
        steps.append(f"Make the first failure happen as well: {ev.chain[-1]}.")
    steps.append(f"Expect `{name}` at {site}.")
    reproduction = "\n".join(f"{number}. {step}" for number, step in enumerate(steps, 1))

    locations = _code_locations(ev, event)
    specific = _specific_fix(ev)
    fix_text = " ".join(part for part in (specific, ev.entry.fix if ev.entry else "") if part) or (
        f"Read the check that raises `{exc_type}` at {site} and handle the condition its message "
        "reports; add the failing input as a test case."
    )
    function = _function(ev)
    release = event["release"]
    problem = f"`{name}` at {site}{line}. {finding}".strip()
    context = ", ".join(
        part
        for part in (
            event["level"] or "error",
            event["environment"],
            release and f"release {release}",
        )
        if part
    )
    spec = [
        "## Problem",
        "",
        f"{problem} ({context}).",
        "",
        *(["Exception chain:", "", *[f"- {c}" for c in ev.chain], ""] if len(ev.chain) > 1 else []),
        *(
            ["Issue facts from Sentry:", "", *[f"- {fact}" for fact in ev.facts], ""]
            if ev.facts
            else []
        ),
        "Breadcrumbs before the error:",
        "",
        *([f"- {crumb}" for crumb in ev.crumbs] or ["- (no breadcrumbs in the event)"]),
        "",
        "## Affected components",
        "",
        *[
            f"- `{loc['file']}:{loc['line']}` in `{loc['function']}`: {loc['why']}"
            for loc in locations
        ],
        *(["- (no stack trace in the event)"] if not locations else []),
        "",
        "## Proposed change",
        "",
        f"In {where(ev.app_frame or ev.site)}: {fix_text}",
        "",
        "## Acceptance criteria",
        "",
        f"- With {_inputs(ev)}, {function} no longer raises `{exc_type}`.",
        f"- That input gets {_outcome(ev)}.",
        "- No new events in this Sentry issue after the release that ships the fix"
        + (f" (it has {facts['count']} so far)." if facts and facts.get("count") else "."),
        "",
        "## Test plan",
        "",
        f"- A unit test of {function} with {_inputs(ev)} that expects {_outcome(ev)}, "
        f"not `{exc_type}`.",
        *(
            [f"- An integration test that sends `{ev.request}` and expects no server error."]
            if ev.request
            else []
        ),
        *(
            [f"- A test where the first failure of the chain happens ({ev.chain[-1]})."]
            if len(ev.chain) > 1
            else []
        ),
        "",
        "## Risks",
        "",
        *(
            [
                f"- The raise site is library code: change the calling application code "
                f"({where(ev.app_frame)}), not the library."
            ]
            if ev.site and not ev.site["inApp"] and ev.app_frame
            else []
        ),
        "- Handling the error silently can hide a real data problem; log or report it.",
        f"- {CAVEAT}",
    ]
    confidence, confidence_reason = _confidence(ev, finding)
    evidence = []
    if ev.site:
        evidence.append(f"raise site: {frame_label(ev.site)}" + (f": {ev.line}" if ev.line else ""))
    evidence += [f"local at the raise site: {k} = {v}" for k, v in ev.empty_locals.items()]
    evidence += [f"chain: {chain}" for chain in ev.chain[1:]]
    if ev.request:
        evidence.append(f"request: {ev.request}")
    evidence += [f"breadcrumb: {crumb}" for crumb in ev.crumbs]
    evidence += [f"issue: {fact}" for fact in ev.facts[:4]]
    return {
        "summary": summary,
        "root_cause": root_cause,
        "reproduction_steps": reproduction,
        "code_locations": locations,
        "specification": "\n".join(spec),
        "suggested_fix": fix_text,
        "confidence": confidence,
        "confidence_reason": confidence_reason,
        "evidence": [item[:500] for item in evidence[:30]],
    }
