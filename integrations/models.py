import uuid

from django.conf import settings
from django.db import models

from projects.models import Project
from projects.validators import validate_environment_name

from .dsn import DSN_MAX_LENGTH, mask_dsn, validate_dsn
from .validators import (
    DEFAULT_API_BASE_URL,
    validate_api_base_url,
    validate_sample_rate,
    validate_sentry_slug,
)


class SentryIntegration(models.Model):
    """A project's Sentry settings for one environment."""

    access_scope = ("project", "environment")  # see projects.access.visible

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="sentry_integrations"
    )
    environment = models.CharField(max_length=64, validators=[validate_environment_name])
    dsn = models.CharField(
        "DSN",
        max_length=DSN_MAX_LENGTH,
        validators=[validate_dsn],
        error_messages={
            "max_length": f"The DSN is too long: at most {DSN_MAX_LENGTH} characters. Check "
            "what was pasted.",
            "blank": "The DSN is empty. Copy it from Sentry: Project Settings → Client Keys.",
        },
    )
    org = models.CharField("Sentry organization", max_length=50, validators=[validate_sentry_slug])
    sentry_project = models.CharField(
        "Sentry project", max_length=50, validators=[validate_sentry_slug]
    )
    # The encrypted value (integrations.crypto), never the token itself; empty = not set.
    auth_token = models.TextField(blank=True, default="", editable=False)
    # The Sentry integration-platform client secret that signs webhooks (encrypted like
    # auth_token); empty = webhooks for this environment are not accepted.
    webhook_secret = models.TextField(blank=True, default="", editable=False)
    auto_explain = models.BooleanField(
        "auto-explain",
        default=False,
        help_text="Explain new Sentry issues and alerted events as their webhooks arrive.",
    )
    api_base_url = models.CharField(
        "Sentry API URL",
        max_length=200,
        default=DEFAULT_API_BASE_URL,
        validators=[validate_api_base_url],
    )
    traces_sample_rate = models.FloatField(default=0.1, validators=[validate_sample_rate])
    replays_session_sample_rate = models.FloatField(default=0.1, validators=[validate_sample_rate])
    replays_on_error_sample_rate = models.FloatField(default=1.0, validators=[validate_sample_rate])
    is_active = models.BooleanField("active", default=True)
    # The browser loader /js/<loader_id>.js (integrations.loader): a public, random id; None =
    # no loader. Revoking clears it, regenerating draws another.
    loader_id = models.CharField(
        "loader id", max_length=32, unique=True, null=True, blank=True, editable=False
    )
    loader_origins = models.JSONField(
        "loader page origins",
        default=list,
        blank=True,
        help_text="Origins of the pages that may use the loader; empty: any page.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["environment", "-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "environment"],
                condition=models.Q(is_active=True),
                name="one_active_integration_per_environment",
                violation_error_message=(
                    "This project already has an active integration for this environment."
                ),
            )
        ]

    def __str__(self):
        return f"{self.project} · {self.environment}"

    @property
    def masked_dsn(self) -> str:
        return mask_dsn(self.dsn)


class DsnRevealEvent(models.Model):
    """Someone revealed or copied a full DSN (for the audit log)."""

    access_scope = ("integration__project", "integration__environment")

    REVEAL = "reveal"
    COPY = "copy"
    ACTIONS = [(REVEAL, "reveal"), (COPY, "copy")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    integration = models.ForeignKey(
        SentryIntegration, on_delete=models.CASCADE, related_name="dsn_reveals"
    )
    action = models.CharField(max_length=10, choices=ACTIONS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.action} {self.integration_id} at {self.created_at}"
