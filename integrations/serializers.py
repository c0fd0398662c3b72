from rest_framework import serializers

from sentry_manager.lib.api import (
    InputSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
)

from . import services
from .models import SentryIntegration

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

    environment = StrictCharField()
    dsn = StrictCharField()
    org = StrictCharField()
    project = StrictCharField(source="sentry_project")
    apiBaseUrl = StrictCharField(source="api_base_url", required=False)
    tracesSampleRate = StrictFloatField(source="traces_sample_rate", required=False)
    replaysSessionSampleRate = StrictFloatField(
        source="replays_session_sample_rate", required=False
    )
    replaysOnErrorSampleRate = StrictFloatField(
        source="replays_on_error_sample_rate", required=False
    )
    isActive = StrictBooleanField(source="is_active", required=False)
    authToken = StrictCharField(
        source="auth_token", required=False, allow_null=True, write_only=True
    )
    webhookSecret = StrictCharField(
        source="webhook_secret", required=False, allow_null=True, write_only=True
    )
    autoExplain = StrictBooleanField(source="auto_explain", required=False)
