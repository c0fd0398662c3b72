"""Explanations: queue one (deduplicated), run it in a task, retry it, export it as Markdown.

Pages, the JSON API, the admin and the Sentry webhook call these functions; the work itself
runs in `explainer.tasks.run_explanation` on the task worker, never inside a request.
"""

import logging
import re
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects import access
from projects.access import Action
from projects.audit.services import record
from sentry_manager.lib import times
from sentry_manager.monitoring import report_outcome

from . import analysis, issue_facts, llm, runs, sentry_reading
from .context import fit_context
from .events import event_id_of, normalize_event
from .models import Explanation, ImportedEvent
from .scrubbing import scrub, scrub_text
from .sentry_api import SentryApiError

logger = logging.getLogger(__name__)


class NothingToExplain(Exception):
    pass


RESULT_FIELDS = (
    "summary",
    "root_cause",
    "reproduction_steps",
    "specification",
    "suggested_fix",
    "confidence",
    "confidence_reason",
)


# --- Queueing -------------------------------------------------------------------------------


def _enqueue(explanation: Explanation) -> None:
    from .tasks import run_explanation

    result = run_explanation.enqueue(str(explanation.pk))
    explanation.task_id = str(result.id)[:64]
    Explanation.objects.filter(pk=explanation.pk).update(task_id=explanation.task_id)


def _pending(project, key):
    same_subject = project.explanations.filter(dedupe_key=key)
    runs.sweep(same_subject)  # one whose worker died is failed first, so it can be asked again
    return same_subject.filter(status__in=Explanation.PENDING).first()


def _queue(project, key: str, **fields) -> tuple[Explanation, bool]:
    """(explanation, created): the pending one for `key`, or a new one queued for the worker."""
    existing = _pending(project, key)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            explanation = Explanation.objects.create(project=project, dedupe_key=key, **fields)
    except IntegrityError:  # another request queued the same subject a moment ago
        existing = _pending(project, key)
        if existing is None:
            raise
        return existing, False
    _enqueue(explanation)
    record("explanation.requested", project=project, target=explanation)
    return explanation, True


def _issue_fields(issue: dict | None) -> dict:
    issue = issue or {}
    permalink = str(issue.get("permalink") or issue.get("web_url") or "")
    return {
        "issue_short_id": scrub_text(str(issue.get("shortId") or issue.get("short_id") or ""))[:64],
        "issue_title": scrub_text(str(issue.get("title") or ""))[:255],
        "issue_permalink": permalink[:500] if permalink.startswith("https://") else "",
    }


def explain_issue(
    principal,
    project,
    issue_id,
    *,
    environment: str | None = None,
    trigger=Explanation.TRIGGER_USER,
    issue=None,
) -> tuple[Explanation, bool]:
    """Queue an explanation of Sentry issue `issue_id` (its latest event, fetched by the task)
    in `environment` (the project's default when None).

    Raises AccessRefused, or sentry_reading.NoIntegration when the environment has no active
    integration.
    """
    issue_id = str(issue_id).strip()
    if not issue_id.isdigit() or len(issue_id) > 32:
        raise ValidationError({"issueId": "A Sentry issue id is a number, e.g. 4504123456."})
    environment = sentry_reading.environment_for(principal, project, environment, Action.EXPLAIN)
    sentry_reading.integration_for(project, environment)
    return _queue(
        project,
        f"issue:{issue_id}",
        issue_id=issue_id,
        environment=environment,
        requested_by=principal.user,
        trigger=trigger,
        **_issue_fields(issue),
    )


def explain_imported_event(principal, project, imported: ImportedEvent):
    access.require(principal, Action.EXPLAIN, imported.environment)
    return _queue(
        project,
        f"event:{imported.pk}",
        imported_event=imported,
        event_id=imported.event_id,
        issue_title=imported.title,
        environment=imported.environment,
        requested_by=principal.user,
    )


def explain_event(
    principal, project, event: dict, *, environment, trigger=Explanation.TRIGGER_WEBHOOK
):
    """Queue an explanation of an event delivered whole (a Sentry event-alert webhook)."""
    cleaned = scrub(event)
    normalized = normalize_event(cleaned)
    environment = normalized["environment"][:64] or environment
    access.require(principal, Action.EXPLAIN, environment)
    issue_id = str(event.get("issue_id") or event.get("groupID") or "")
    event_id = event_id_of(event)
    key = f"issue:{issue_id}" if issue_id.isdigit() else f"sentry-event:{event_id}"
    return _queue(
        project,
        key,
        issue_id=issue_id if issue_id.isdigit() else "",
        event_id=event_id,
        event=cleaned,
        environment=environment,
        trigger=trigger,
        issue_title=normalized["title"][:255],
        issue_permalink=str(event.get("web_url") or "")[:500],
    )


def retry_explanation(principal, explanation: Explanation) -> Explanation:
    """Queue a failed (or stale) explanation again (the pending one for the same subject, if
    any)."""
    access.require(principal, Action.EXPLAIN, explanation.environment)
    runs.sweep_if_running(explanation)
    if explanation.status != Explanation.FAILED:
        raise ValidationError(
            f"Only a failed explanation can be retried; this one is {explanation.status}.",
            code="not_failed",
        )
    existing = _pending(explanation.project, explanation.dedupe_key)
    if existing is not None:
        return existing
    updated = Explanation.objects.filter(pk=explanation.pk, status=Explanation.FAILED)
    try:
        with transaction.atomic():
            count = updated.update(
                status=Explanation.QUEUED,
                error="",
                started_at=None,
                heartbeat_at=None,
                finished_at=None,
                duration_ms=None,
                requested_by=principal.user or explanation.requested_by,
            )
    except IntegrityError:
        return _pending(explanation.project, explanation.dedupe_key) or explanation
    explanation.refresh_from_db()
    if count:
        _enqueue(explanation)
        record("explanation.retried", project=explanation.project, target=explanation)
    return explanation


# --- Running (in the task worker) -------------------------------------------------------------


def _raw_event(explanation: Explanation) -> dict:
    """The (scrubbed) event to explain; fills in the issue and its facts when it is fetched."""
    if explanation.event:
        if explanation.issue_id and not explanation.issue_facts:
            explanation.issue_facts = sentry_reading.delivered_issue_facts(
                explanation.project,
                explanation.environment,
                explanation.issue_id,
                explanation.event_id,
            )
        return explanation.event
    if explanation.imported_event_id:
        return explanation.imported_event.event
    if explanation.issue_id:
        issue, event = sentry_reading.issue_with_latest_raw_event(
            explanation.project, explanation.environment, explanation.issue_id
        )
        explanation.issue_short_id = issue["shortId"][:64]
        explanation.issue_title = issue["title"][:255] or explanation.issue_title
        permalink = issue["permalink"]
        explanation.issue_permalink = permalink[:500] if permalink.startswith("https://") else ""
        explanation.event_id = event_id_of(event)
        explanation.issue_facts = sentry_reading.issue_facts(
            explanation.project, explanation.environment, issue, explanation.event_id
        )
        return event
    raise NothingToExplain("The imported event this explanation was for has been deleted.")


def _fail(explanation, reason: str, code: str) -> None:
    explanation.status = Explanation.FAILED
    explanation.error = reason[:2000]
    for name in RESULT_FIELDS:
        setattr(explanation, name, "")
    explanation.evidence = []
    explanation.code_locations = []
    explanation.reason_code = code


def run_explanation(explanation_id) -> str:
    """Run a queued explanation to done or failed; returns the final status ("skipped" when
    another worker has it, "discarded" when it was declared dead meanwhile)."""
    runs.sweep()  # the runs of workers that died, whoever they were
    token = runs.claim(explanation_id)
    if token is None:
        return "skipped"
    runs.schedule_watchdog(explanation_id, token)
    with runs.Heartbeat(explanation_id, token):
        return _run(explanation_id, token)


def _run(explanation_id, token) -> str:
    # The worker runs what a principal was allowed to queue: it acts as the system.
    explanations = Explanation.objects.select_related("project", "imported_event")
    explanation = access.visible(access.SYSTEM, explanations).get(pk=explanation_id)
    started = time.monotonic()
    explanation.reason_code = ""
    try:
        raw = _raw_event(explanation)
        event = normalize_event(scrub(raw))
        explanation.analysed_event = event
        context = fit_context(event, facts=explanation.issue_facts)
        explanation.context_sent = context.text
        if llm.is_configured():
            explanation.provider = llm.PROVIDER
            explanation.model = llm.settings.OPENAI_MODEL
            result = llm.explain(context.text)
            fields = result.fields
            explanation.model = result.model
            explanation.prompt_tokens = result.prompt_tokens
            explanation.completion_tokens = result.completion_tokens
        else:
            explanation.provider = analysis.PROVIDER
            explanation.model = analysis.MODEL
            fields = analysis.analyse(event, explanation.issue_facts)
        for name, value in fields.items():
            setattr(explanation, name, value)
        explanation.status = Explanation.DONE
    except llm.LlmError as error:
        explanation.prompt_tokens = error.prompt_tokens or None
        explanation.completion_tokens = error.completion_tokens or None
        _fail(explanation, str(error), "llm")
    except SentryApiError as error:
        _fail(explanation, f"Reading the issue from Sentry failed: {error.message}", error.code)
    except NothingToExplain as error:
        _fail(explanation, str(error), "no_event")
    except Exception as error:  # never leave it running; the reason is shown on the page
        logger.exception("Explanation %s failed", explanation_id)
        _fail(explanation, f"Unexpected error: {type(error).__name__}: {error}", "unexpected")
    explanation.duration_ms = round((time.monotonic() - started) * 1000)
    explanation.finished_at = timezone.now()
    explanation.run_token = None
    with transaction.atomic():  # saved only while the run is still this one's
        if not runs.still_ours(explanation_id, token).select_for_update().exists():
            logger.warning("Explanation %s was declared dead while it ran: dropped", explanation_id)
            return "discarded"
        explanation.save()
    failed = explanation.status == Explanation.FAILED
    report_outcome(
        "explainer",
        "Explanation failed" if failed else "Explanation done",
        failed=failed,
        explanation_id=str(explanation.pk),
        status=explanation.status,
        provider=explanation.provider,
        model=explanation.model,
        duration_ms=explanation.duration_ms,
        prompt_tokens=explanation.prompt_tokens,
        completion_tokens=explanation.completion_tokens,
        reason_code=explanation.reason_code or None,
        error=explanation.error or None,
    )
    return explanation.status


# --- Export -----------------------------------------------------------------------------------


def demote_headings(markdown: str) -> str:
    """One level down, so a specification's `## Problem` sits under its section heading."""
    return re.sub(r"(?m)^(#{1,5}) ", r"#\1 ", markdown)


def _code_location_line(location: dict) -> str:
    line = f":{location['line']}" if location.get("line") is not None else ""
    function = f" in `{location['function']}`" if location.get("function") else ""
    why = f": {location['why']}" if location.get("why") else ""
    return f"- `{location.get('file') or '?'}{line}`{function}{why}"


def as_markdown(explanation: Explanation) -> str:
    """The whole explanation as one Markdown document (download, copy).

    Explanations made before reproduction steps, code locations and the confidence's reason
    existed simply leave those sections out.
    """
    lines = [f"# {explanation.subject or 'Sentry issue'}", ""]
    if explanation.issue_permalink:
        lines += [f"Sentry: {explanation.issue_permalink}", ""]
    lines += [
        f"Explained by {explanation.model or explanation.provider} · confidence "
        f"{explanation.confidence or 'unknown'} · {times.exact(explanation.created_at)}",
        "",
        "## Summary",
        "",
        explanation.summary,
        "",
        "## Root cause",
        "",
        explanation.root_cause,
        "",
    ]
    if explanation.reproduction_steps:
        lines += ["## Reproduction steps", "", explanation.reproduction_steps, ""]
    if explanation.code_locations:
        lines += ["## Relevant code locations", ""]
        lines += [_code_location_line(location) for location in explanation.code_locations]
        lines.append("")
    lines += [
        "## Technical specification",
        "",
        demote_headings(explanation.specification),
        "",
        "## Suggested fix",
        "",
        explanation.suggested_fix,
        "",
    ]
    if explanation.confidence_reason:
        lines += ["## Confidence", "", explanation.confidence_reason, ""]
    if explanation.evidence:
        lines += ["## Evidence", "", *[f"- {item}" for item in explanation.evidence], ""]
    statements = issue_facts.statements(explanation.issue_facts)
    if statements:
        lines += ["## Issue facts (Sentry)", "", *[f"- {item}" for item in statements], ""]
    return "\n".join(lines)


def markdown_filename(explanation: Explanation) -> str:
    name = explanation.issue_short_id or explanation.issue_id or explanation.event_id or "event"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", f"explanation-{name}")[:80] + ".md"
