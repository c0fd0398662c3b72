"""The JSON shape of an explanation (camelCase, as the rest of the API)."""

from django.urls import reverse

from .models import Explanation


def explanation_json(explanation: Explanation, brief: bool = False) -> dict:
    body = {
        "id": str(explanation.pk),
        "projectId": str(explanation.project_id),
        "status": explanation.status,
        "trigger": explanation.trigger,
        "issue": {
            "id": explanation.issue_id or None,
            "shortId": explanation.issue_short_id or None,
            "title": explanation.issue_title,
            "permalink": explanation.issue_permalink or None,
        },
        "eventId": explanation.event_id or None,
        "importedEventId": str(explanation.imported_event_id)
        if explanation.imported_event_id
        else None,
        "environment": explanation.environment,
        "provider": explanation.provider,
        "model": explanation.model,
        "confidence": explanation.confidence or None,
        "summary": explanation.summary,
        "error": explanation.error or None,
        "requestedBy": explanation.requested_by.get_username()
        if explanation.requested_by_id
        else None,
        "promptTokens": explanation.prompt_tokens,
        "completionTokens": explanation.completion_tokens,
        "durationMs": explanation.duration_ms,
        "createdAt": explanation.created_at,
        "startedAt": explanation.started_at,
        "finishedAt": explanation.finished_at,
        "url": reverse("api-explanation", args=[explanation.pk]),
    }
    if not brief:
        # Explanations made before the root-cause fields existed answer them empty.
        body.update(
            rootCause=explanation.root_cause,
            reproductionSteps=explanation.reproduction_steps,
            codeLocations=explanation.code_locations,
            specification=explanation.specification,
            suggestedFix=explanation.suggested_fix,
            confidenceReason=explanation.confidence_reason,
            evidence=explanation.evidence,
            issueFacts=explanation.issue_facts or None,
            contextSent=explanation.context_sent,
        )
    return body
