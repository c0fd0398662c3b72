"""Admin: integrations on their own page and inline on the project; the token writes only."""

from django import forms
from django.contrib import admin

from projects.admin import ProjectAdmin
from projects.models import Project

from . import services
from .models import DsnRevealEvent, SentryIntegration

TOKEN_LABELS = {
    services.TOKEN_SET: "set",
    services.TOKEN_NOT_SET: "not set",
    services.TOKEN_UNDECRYPTABLE: f"set, but it {services.UNDECRYPTABLE_MESSAGE}",
}


class IntegrationAdminForm(forms.ModelForm):
    new_auth_token = forms.CharField(
        label="New auth token",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only. Leave empty to keep the stored token.",
    )
    clear_auth_token = forms.BooleanField(label="Clear the auth token", required=False)
    new_webhook_secret = forms.CharField(
        label="New webhook client secret",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only. Leave empty to keep the stored secret.",
    )
    clear_webhook_secret = forms.BooleanField(label="Clear the webhook secret", required=False)

    class Meta:
        model = SentryIntegration
        fields = ["project", *services.EDITABLE_FIELDS]

    def _post_clean(self):
        super()._post_clean()
        # The encrypted value is bound to the row id, which exists before the first save.
        if self.cleaned_data.get("clear_auth_token"):
            services.set_auth_token(self.instance, None)
        elif self.cleaned_data.get("new_auth_token"):
            services.set_auth_token(self.instance, self.cleaned_data["new_auth_token"])
        if self.cleaned_data.get("clear_webhook_secret"):
            services.set_webhook_secret(self.instance, None)
        elif self.cleaned_data.get("new_webhook_secret"):
            services.set_webhook_secret(self.instance, self.cleaned_data["new_webhook_secret"])


def token_status(integration) -> str:
    return TOKEN_LABELS[services.auth_token_status(integration)]


token_status.short_description = "Auth token"


def webhook_secret_status(integration) -> str:
    return "set" if integration.webhook_secret else "not set"


webhook_secret_status.short_description = "Webhook secret"


class IntegrationInline(admin.TabularInline):
    model = SentryIntegration
    form = IntegrationAdminForm
    extra = 0
    fields = [
        "environment",
        "dsn",
        "org",
        "sentry_project",
        "api_base_url",
        "is_active",
        token_status,
        "new_auth_token",
        "clear_auth_token",
    ]
    readonly_fields = [token_status]
    show_change_link = True


@admin.register(SentryIntegration)
class SentryIntegrationAdmin(admin.ModelAdmin):
    form = IntegrationAdminForm
    list_display = ["project", "environment", "org", "sentry_project", "is_active", token_status]
    list_filter = ["is_active", "environment"]
    search_fields = ["project__name", "project__slug", "org", "sentry_project", "environment"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    readonly_fields = ["id", token_status, webhook_secret_status, "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["id", "project", "environment", "dsn", "is_active"]}),
        ("Sentry", {"fields": ["org", "sentry_project", "api_base_url"]}),
        (
            "Sample rates",
            {
                "fields": [
                    "traces_sample_rate",
                    "replays_session_sample_rate",
                    "replays_on_error_sample_rate",
                ]
            },
        ),
        ("Auth token", {"fields": [token_status, "new_auth_token", "clear_auth_token"]}),
        (
            "Webhooks (auto-explain)",
            {
                "fields": [
                    "auto_explain",
                    webhook_secret_status,
                    "new_webhook_secret",
                    "clear_webhook_secret",
                ]
            },
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(DsnRevealEvent)
class DsnRevealEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "integration"]
    list_filter = ["action"]
    list_select_related = ["user", "integration__project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(Project)


@admin.register(Project)
class ProjectWithIntegrationsAdmin(ProjectAdmin):
    inlines = [*ProjectAdmin.inlines, IntegrationInline]
