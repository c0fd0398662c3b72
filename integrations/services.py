"""Integration actions. Pages, the JSON API and the admin all call these, so they cannot drift."""

import copy
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.keys.services import normalize_origins

from . import crypto
from .models import DsnRevealEvent, SentryIntegration

EDITABLE_FIELDS = (
    "environment",
    "dsn",
    "org",
    "sentry_project",
    "api_base_url",
    "traces_sample_rate",
    "replays_session_sample_rate",
    "replays_on_error_sample_rate",
    "is_active",
    "auto_explain",
)
TOKEN_FIELD = "auth_token"
SECRET_FIELD = "webhook_secret"
ENCRYPTED_FIELDS = (TOKEN_FIELD, SECRET_FIELD)
TOKEN_SET, TOKEN_NOT_SET, TOKEN_UNDECRYPTABLE = "set", "not_set", "undecryptable"
UNDECRYPTABLE_MESSAGE = "cannot be decrypted with the configured keys — was ENCRYPTION_KEY changed?"


class IntegrationExists(Exception):
    """A second active integration for the same project and environment."""

    def __init__(self, existing: SentryIntegration):
        self.existing = existing
        super().__init__(
            f"This project already has an active integration for “{existing.environment}”. "
            "Edit that one, or deactivate it first."
        )


# --- The auth token (write-only, encrypted) ---------------------------------------------------


def _token_context(integration, field=TOKEN_FIELD) -> dict:
    return {
        "table": SentryIntegration._meta.db_table,
        "row_id": str(integration.pk),
        "field": field,
    }


def _set_secret(integration, field, value) -> None:
    value = (value or "").strip()
    stored = crypto.encrypt(value, **_token_context(integration, field)) if value else ""
    setattr(integration, field, stored)


def _read_secret(integration, field) -> str | None:
    stored = getattr(integration, field)
    if not stored:
        return None
    return crypto.decrypt(stored, **_token_context(integration, field))


SECRET_NAMES = {TOKEN_FIELD: "auth token", SECRET_FIELD: "webhook secret"}


def secret_change(field: str, new_value: str, remove: bool) -> dict:
    """A form's write-only box and its "remove" checkbox as one change: `{field: value}`,
    `{field: None}` (remove) or `{}` (keep). Both at once is refused rather than guessed."""
    if new_value and remove:
        name = SECRET_NAMES[field]
        raise ValidationError(
            f"You typed a new {name} and ticked “Remove”: untick “Remove” to replace the "
            f"stored {name}, or empty the box to remove it.",
            code="secret_conflict",
        )
    if remove:
        return {field: None}
    return {field: new_value} if new_value else {}


def set_auth_token(integration: SentryIntegration, token: str | None) -> None:
    """Encrypt `token` into the (unsaved) integration; None or blank clears it."""
    _set_secret(integration, TOKEN_FIELD, token)


def read_auth_token(integration: SentryIntegration) -> str | None:
    """The plaintext token, None when not set; crypto.DecryptionError when no key opens it."""
    return _read_secret(integration, TOKEN_FIELD)


def set_webhook_secret(integration: SentryIntegration, secret: str | None) -> None:
    """Encrypt the webhook client secret into the (unsaved) integration; None/blank clears it."""
    _set_secret(integration, SECRET_FIELD, secret)


def read_webhook_secret(integration: SentryIntegration) -> str | None:
    """The plaintext client secret, None when not set; crypto.DecryptionError when unreadable."""
    return _read_secret(integration, SECRET_FIELD)


def webhook_integrations(project_id):
    """The active integrations of a project that can verify a Sentry webhook (no user: the
    signature is the credential)."""
    return (
        SentryIntegration.objects.filter(project_id=project_id, is_active=True)
        .exclude(webhook_secret="")
        .select_related("project")
    )


def auth_token_status(integration: SentryIntegration) -> str:
    try:
        return TOKEN_SET if read_auth_token(integration) is not None else TOKEN_NOT_SET
    except crypto.DecryptionError:
        return TOKEN_UNDECRYPTABLE


# --- Create, change, delete -------------------------------------------------------------------


def _normalise(integration: SentryIntegration) -> None:
    for field in ("environment", "org", "sentry_project", "api_base_url", "dsn"):
        value = getattr(integration, field)
        if isinstance(value, str):
            setattr(integration, field, value.strip())
    integration.api_base_url = integration.api_base_url.rstrip("/")


def _active_twin(integration: SentryIntegration) -> SentryIntegration | None:
    if not integration.is_active:
        return None
    return (
        SentryIntegration.objects.filter(
            project_id=integration.project_id, environment=integration.environment, is_active=True
        )
        .exclude(pk=integration.pk)
        .first()
    )


def integration_errors(
    *, project, integration=None, unchecked=frozenset(), **fields
) -> dict[str, list[str]]:
    """Every reason `fields` cannot make (or change `integration` into) a valid integration of
    `project`, by field; `unchecked` fields have no known value and are not checked."""
    candidate = (
        SentryIntegration(project=project) if integration is None else copy.copy(integration)
    )
    for field, value in fields.items():
        setattr(candidate, field, value)
    _normalise(candidate)
    errors = {}
    exclude = [*unchecked, *ENCRYPTED_FIELDS]
    if integration is None and "dsn" not in fields:
        exclude.append("dsn")
    try:
        candidate.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if "environment" not in errors and "environment" not in unchecked:
        twin = _active_twin(candidate)
        if twin is not None:
            errors["environment"] = [str(IntegrationExists(twin))]
    return errors


def _validate_and_save(integration: SentryIntegration, *, create: bool) -> None:
    _normalise(integration)
    integration.full_clean(validate_constraints=False)
    twin = _active_twin(integration)
    if twin is not None:
        raise IntegrationExists(twin)
    try:
        with transaction.atomic():
            integration.save(force_insert=create)
    except IntegrityError as error:
        # Another request added the same environment between the check and the write.
        twin = _active_twin(integration)
        if twin is not None:
            raise IntegrationExists(twin) from error
        raise


def create_integration(
    *, project, auth_token: str | None = None, webhook_secret: str | None = None, **fields
) -> SentryIntegration:
    """Add an integration. Raises ValidationError or IntegrationExists, storing nothing."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    integration = SentryIntegration(project=project, **fields)
    set_auth_token(integration, auth_token)
    set_webhook_secret(integration, webhook_secret)
    _validate_and_save(integration, create=True)
    return integration


def update_integration(integration: SentryIntegration, **changes) -> SentryIntegration:
    """Change the given fields; `auth_token` / `webhook_secret` replace the secret (None or ""
    clears it).

    Raises ValidationError or IntegrationExists, changing nothing.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS) - set(ENCRYPTED_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    original = {
        field: getattr(integration, field) for field in (*EDITABLE_FIELDS, *ENCRYPTED_FIELDS)
    }
    try:
        for field, value in changes.items():
            if field in ENCRYPTED_FIELDS:
                _set_secret(integration, field, value)
            else:
                setattr(integration, field, value)
        _validate_and_save(integration, create=False)
    except (ValidationError, IntegrationExists, IntegrityError):
        for field, value in original.items():
            setattr(integration, field, value)
        raise
    return integration


def set_integration_active(integration: SentryIntegration, active: bool) -> SentryIntegration:
    return update_integration(integration, is_active=active)


def delete_integration(integration: SentryIntegration) -> None:
    integration.delete()


# --- The browser loader (/js/<loader id>.js) -------------------------------------------------

LOADER_ID_BYTES = 16  # 128 random bits, as 32 hex characters


def issue_loader_id(integration: SentryIntegration) -> str:
    """Give the integration a new loader id (the first one, or a replacement: the old id
    stops working at once)."""
    integration.loader_id = secrets.token_hex(LOADER_ID_BYTES)
    integration.save(update_fields=["loader_id", "updated_at"])
    return integration.loader_id


def revoke_loader(integration: SentryIntegration) -> None:
    integration.loader_id = None
    integration.save(update_fields=["loader_id", "updated_at"])


def set_loader_origins(integration: SentryIntegration, origins) -> list[str]:
    """The page origins that may use the loader (text or a list); ValidationError, changing
    nothing, for anything that is not an origin."""
    try:
        cleaned = normalize_origins(origins)
    except ValidationError as error:
        raise ValidationError({"loader_origins": error.message_dict["allowed_origins"]}) from None
    integration.loader_origins = cleaned
    integration.save(update_fields=["loader_origins", "updated_at"])
    return cleaned


# --- The DSN: hidden by default, revealing and copying are recorded --------------------------


def reveal_dsn(user, integration: SentryIntegration, action: str = DsnRevealEvent.REVEAL) -> str:
    """The full DSN; records who revealed (or copied) it and when."""
    DsnRevealEvent.objects.create(user=user, integration=integration, action=action)
    return integration.dsn


# --- Key rotation -----------------------------------------------------------------------------


def rotate_encryption_key() -> dict[str, int]:
    """Re-encrypt every stored secret with the current key, one row per transaction.

    Returns counts: re-encrypted, already current, unreadable. Safe to run again.
    """
    counts = {"reencrypted": 0, "current": 0, "unreadable": 0}
    for field in ENCRYPTED_FIELDS:
        ids = list(SentryIntegration.objects.exclude(**{field: ""}).values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic():
                row = SentryIntegration.objects.select_for_update().filter(pk=pk).first()
                if row is None or not getattr(row, field):
                    continue
                if crypto.is_current(getattr(row, field)):
                    counts["current"] += 1
                    continue
                try:
                    plaintext = _read_secret(row, field)
                except crypto.DecryptionError:
                    counts["unreadable"] += 1
                    continue
                _set_secret(row, field, plaintext)
                SentryIntegration.objects.filter(pk=pk).update(**{field: getattr(row, field)})
                counts["reencrypted"] += 1
    return counts
