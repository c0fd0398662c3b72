from django.core.validators import RegexValidator
from rest_framework import serializers

from projects.validators import environment_pattern
from sentry_manager.lib.api import (
    InputSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
)

from . import services
from .dsn import DSN_MAX_LENGTH
from .models import SentryIntegration
from .validators import SENTRY_SLUG_RE

# The rules of integrations.validators as patterns, so the OpenAPI schema shows them.
sentry_slug_pattern = RegexValidator(
    SENTRY_SLUG_RE.pattern,
    "A Sentry slug is 1–50 lowercase letters, digits, '-' and '_', as in the Sentry URL; "
    "got %(value)r.",
    "invalid_slug",
)


api_url_pattern = RegexValidator(
    r"^https?://[^\s/?#@]+(/[^\s?#]*)?$",
    "The Sentry API URL is the address of your Sentry, such as https://sentry.io; got %(value)r.",
    "invalid_url",
)
RATE_MESSAGE = "A sample rate is a number from 0.0 to 1.0 (0.1: one in ten)."


def sample_rate(source):
    return StrictFloatField(
        source=source,
        required=False,
        min_value=0.0,
        max_value=1.0,
        error_messages={"min_value": RATE_MESSAGE, "max_value": RATE_MESSAGE},
    )


# Model field → API field, where camelCase alone does not give the API name.
API_FIELD_NAMES = {
    "sentry_project": "project",
    "auth_token": "authToken",
    "webhook_secret": "webhookSecret",
    "auto_explain": "autoExplain",
}


class SentryIntegrationSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="sentry_project")
    apiBaseUrl = serializers.CharField(source="api_base_url")
    tracesSampleRate = serializers.FloatField(source="traces_sample_rate")
    replaysSessionSampleRate = serializers.FloatField(source="replays_session_sample_rate")
    replaysOnErrorSampleRate = serializers.FloatField(source="replays_on_error_sample_rate")
    isActive = serializers.BooleanField(source="is_active")
    hasAuthToken = serializers.SerializerMethodField()
    authTokenStatus = serializers.SerializerMethodField()
    hasWebhookSecret = serializers.SerializerMethodField()
    autoExplain = serializers.BooleanField(source="auto_explain")
    loaderId = serializers.CharField(
        source="loader_id", allow_null=True, help_text="The browser loader is /js/<loaderId>.js."
    )
    loaderOrigins = serializers.ListField(source="loader_origins", child=serializers.CharField())
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = SentryIntegration
        fields = [
            "id",
            "environment",
            "dsn",
            "org",
            "project",
            "apiBaseUrl",
            "tracesSampleRate",
            "replaysSessionSampleRate",
            "replaysOnErrorSampleRate",
            "isActive",
            "hasAuthToken",
            "authTokenStatus",
            "hasWebhookSecret",
            "autoExplain",
            "loaderId",
            "loaderOrigins",
            "createdAt",
            "updatedAt",
        ]
        read_only_fields = fields

    def get_hasAuthToken(self, integration) -> bool:
        return bool(integration.auth_token)

    def get_hasWebhookSecret(self, integration) -> bool:
        return bool(integration.webhook_secret)

    def get_authTokenStatus(self, integration) -> str:
        return services.auth_token_status(integration)


class SentryIntegrationInputSerializer(InputSerializer):
    """Checks JSON types only; the rules on values live in integrations.services."""

    ignored_fields = (
        "id",
        "hasAuthToken",
        "authTokenStatus",
        "hasWebhookSecret",
        "loaderId",
        "loaderOrigins",
        "createdAt",
        "updatedAt",
    )

    environment = StrictCharField(allow_blank=False, validators=[environment_pattern])
    dsn = StrictCharField(
        allow_blank=False,
        max_length=DSN_MAX_LENGTH,
        help_text="From Sentry: Project Settings → Client Keys.",
        error_messages={
            "max_length": f"The DSN is too long: at most {DSN_MAX_LENGTH} characters.",
            "blank": "The DSN is empty. Copy it from Sentry: Project Settings → Client Keys.",
        },
    )
    org = StrictCharField(allow_blank=False, validators=[sentry_slug_pattern])
    project = StrictCharField(
        source="sentry_project", allow_blank=False, validators=[sentry_slug_pattern]
    )
    apiBaseUrl = StrictCharField(
        source="api_base_url",
        required=False,
        allow_blank=False,
        max_length=200,
        validators=[api_url_pattern],
        help_text="https://sentry.io, a region or your own Sentry; it must resolve to a public "
        "address unless the server allows it (OUTBOUND_ALLOWED_HOSTS/NETWORKS).",
    )
    tracesSampleRate = sample_rate("traces_sample_rate")
    replaysSessionSampleRate = sample_rate("replays_session_sample_rate")
    replaysOnErrorSampleRate = sample_rate("replays_on_error_sample_rate")
    isActive = StrictBooleanField(source="is_active", required=False)
    authToken = StrictCharField(
        source="auth_token", required=False, allow_null=True, write_only=True
    )
    webhookSecret = StrictCharField(
        source="webhook_secret", required=False, allow_null=True, write_only=True
    )
    autoExplain = StrictBooleanField(source="auto_explain", required=False)
