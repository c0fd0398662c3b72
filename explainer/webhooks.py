"""Sentry integration-platform webhooks: verify, deduplicate, auto-explain.

Sentry signs each delivery with the integration's client secret:
`Sentry-Hook-Signature` = hex HMAC-SHA256 of the raw body, `Sentry-Hook-Timestamp` = unix
seconds, `Sentry-Hook-Resource` = issue | event_alert | ..., `Request-ID` = the delivery id.
"""

import hashlib
import hmac
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.crypto import DecryptionError
from integrations.services import read_webhook_secret, webhook_integrations
from projects import access
from sentry_manager.lib import json_input, pruning

from . import explanations
from .models import Explanation, WebhookDelivery
from .sentry_api import SentryApiError


class WebhookRejected(Exception):
    def __init__(self, message, code, status=401, field=""):
        super().__init__(message)
        self.code = code
        self.status = status
        self.field = field


def signature_of(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _check_timestamp(value) -> None:
    try:
        stamp = float(value)
    except (TypeError, ValueError) as error:
        raise WebhookRejected(
            "Sentry-Hook-Timestamp is missing or not unix seconds.", "bad_timestamp"
        ) from error
    if abs(time.time() - stamp) > settings.SENTRY_WEBHOOK_MAX_AGE:
        raise WebhookRejected(
            f"Sentry-Hook-Timestamp is more than {settings.SENTRY_WEBHOOK_MAX_AGE} s away from "
            "now: a stale or replayed delivery.",
            "stale_timestamp",
        )


def prune_deliveries(before, *, dry_run=False) -> int:
    """Deliveries received before `before`. Their Request-IDs only stop replays, and a replay
    that old is refused by its Sentry-Hook-Timestamp anyway: one is kept while its timestamp
    (up to SENTRY_WEBHOOK_MAX_AGE either side of its arrival) could still be accepted."""
    still_replayable = timezone.now() - timedelta(seconds=2 * settings.SENTRY_WEBHOOK_MAX_AGE)
    old = WebhookDelivery.objects.filter(received_at__lt=min(before, still_replayable))
    return pruning.delete(old, dry_run=dry_run)


def verified_integrations(project_id, body: bytes, signature: str) -> list:
    """The project's active integrations whose webhook secret signed `body`."""
    signature = (signature or "").strip().lower()
    if not signature:
        raise WebhookRejected("The Sentry-Hook-Signature header is missing.", "missing_signature")
    matches = []
    for integration in webhook_integrations(project_id):
        try:
            secret = read_webhook_secret(integration)
        except DecryptionError:
            continue
        if secret and hmac.compare_digest(signature_of(body, secret), signature):
            matches.append(integration)
    if not matches:
        raise WebhookRejected(
            "The signature does not match the webhook secret of any active integration of this "
            "project.",
            "bad_signature",
        )
    return matches


def _environment_of(payload: dict) -> str:
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    for key in ("event", "issue"):
        item = data.get(key)
        if isinstance(item, dict) and isinstance(item.get("environment"), str):
            return item["environment"]
    return ""


def handle(project_id, body: bytes, headers) -> dict:
    """Verify and act on one delivery; returns the JSON answer (always 202 when accepted)."""
    limit = settings.EVENT_IMPORT_MAX_BYTES
    if len(body) > limit:  # the event import limit, on this path too
        raise WebhookRejected(
            f"The delivery is {len(body) / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.",
            "request_too_large",
            413,
        )
    signature = headers.get("Sentry-Hook-Signature", "")
    integrations = verified_integrations(project_id, body, signature)
    _check_timestamp(headers.get("Sentry-Hook-Timestamp"))
    try:
        payload = json_input.loads(body)
    except json_input.JsonInputError as error:
        raise WebhookRejected(error.message, error.code, 400, error.field) from error
    if not isinstance(payload, dict):
        raise WebhookRejected("The body is not a JSON object.", "malformed_json", 400)
    environment = _environment_of(payload)
    integration = next((i for i in integrations if i.environment == environment), integrations[0])
    project = integration.project
    resource = headers.get("Sentry-Hook-Resource", "")[:40]
    request_id = headers.get("Request-ID", "").strip()[:100]
    if request_id:
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    request_id=request_id, project=project, resource=resource
                )
        except IntegrityError:
            return {"status": "duplicate", "detail": "This delivery was already received."}
    action = payload.get("action")
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    if resource == "issue" and action == "created":
        subject = data.get("issue")
    elif resource == "event_alert":
        subject = data.get("event")
    else:
        return {"status": "ignored", "detail": f"Resource “{resource}” ({action}) is not used."}
    if not isinstance(subject, dict):
        raise WebhookRejected(f"The {resource} webhook has no data.", "bad_payload", 400)
    if not integration.auto_explain:
        return {"status": "ignored", "detail": "Auto-explain is off for this integration."}
    principal = access.for_webhook(project.pk)  # the signature is the credential
    try:
        if resource == "issue":
            explanation, created = explanations.explain_issue(
                principal,
                project,
                subject.get("id", ""),
                environment=integration.environment,
                trigger=Explanation.TRIGGER_WEBHOOK,
                issue=subject,
            )
        else:
            explanation, created = explanations.explain_event(
                principal, project, subject, environment=integration.environment
            )
    except (SentryApiError, ValidationError) as error:
        message = error.message if isinstance(error, SentryApiError) else "; ".join(error.messages)
        raise WebhookRejected(message, "bad_payload", 400) from error
    return {
        "status": "queued" if created else "already_queued",
        "explanationId": str(explanation.pk),
    }
