"""Admin: integrations on their own page and inline on the project; the token writes only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from projects import access
from projects.admin import ProjectAdmin
from projects.models import Project
from sentry_manager.lib.admin import adopt

from . import services
from .models import DsnRevealEvent, SentryIntegration

TOKEN_LABELS = {
    services.TOKEN_SET: "set",
    services.TOKEN_NOT_SET: "not set",
    services.TOKEN_UNDECRYPTABLE: f"set, but it {services.UNDECRYPTABLE_MESSAGE}",
}


# The DSN is shown masked and replaced write-only, like the token: revealing and copying it
# happen on the project page, where they are recorded.
ADMIN_FIELDS = [name for name in services.EDITABLE_FIELDS if name != "dsn"]


class IntegrationAdminForm(forms.ModelForm):
    new_dsn = forms.CharField(
        label="New DSN",
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Write-only. Leave empty to keep the stored DSN (shown masked); reveal or "
        "copy it on the project page, where that is recorded.",
    )
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
        fields = ["project", *ADMIN_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.fields["new_dsn"].label = "DSN"
            self.fields["new_dsn"].required = True
            self.fields["new_dsn"].help_text = "From Sentry: Project Settings → Client Keys (DSN)."

    def clean_new_dsn(self):
        dsn = self.cleaned_data["new_dsn"]
        if dsn:  # the model's own checks, with their messages, next to this box
            SentryIntegration._meta.get_field("dsn").clean(dsn, self.instance)
        return dsn

    def clean(self):
        cleaned = super().clean()
        self._secret_changes = {}
        for field in services.ENCRYPTED_FIELDS:
            try:
                self._secret_changes.update(
                    services.secret_change(
                        field, cleaned.get(f"new_{field}"), cleaned.get(f"clear_{field}")
                    )
                )
            except ValidationError as conflict:
                self.add_error(f"clear_{field}", conflict)
        return cleaned

    def changes(self) -> dict:
        """The new DSN and the write-only secrets to replace or clear; absent: kept."""
        dsn = self.cleaned_data.get("new_dsn")
        return {**({"dsn": dsn} if dsn else {}), **self._secret_changes}

    def save_through_services(self, integration, adding: bool) -> None:
        """Create or change `integration` (the form's instance) with integrations.services."""
        editable = [name for name in ADMIN_FIELDS if name in self.cleaned_data]
        if adding:
            fields = {name: self.cleaned_data[name] for name in editable}
            created = services.create_integration(
                project=integration.project, **fields, **self.changes()
            )
            adopt(integration, created)
        else:
            changed = {name: getattr(integration, name) for name in editable}
            fresh = SentryIntegration.objects.get(pk=integration.pk)
            services.update_integration(fresh, **changed, **self.changes())


@admin.display(description="DSN")
def masked_dsn(integration) -> str:
    return integration.masked_dsn if integration.dsn else "—"


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
        masked_dsn,
        "new_dsn",
        "org",
        "sentry_project",
        "api_base_url",
        "is_active",
        token_status,
        "new_auth_token",
        "clear_auth_token",
    ]
    readonly_fields = [masked_dsn, token_status]
    show_change_link = True

    def get_queryset(self, request):
        return access.visible(access.for_admin(request), super().get_queryset(request))


@admin.register(SentryIntegration)
class SentryIntegrationAdmin(admin.ModelAdmin):
    form = IntegrationAdminForm
    list_display = ["project", "environment", "org", "sentry_project", "is_active", token_status]
    list_filter = ["is_active", "environment"]
    search_fields = ["project__name", "project__slug", "org", "sentry_project", "environment"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    readonly_fields = [
        "id",
        masked_dsn,
        token_status,
        webhook_secret_status,
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return access.visible(access.for_admin(request), super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        form.save_through_services(obj, adding=not change)

    def delete_model(self, request, obj):
        services.delete_integration(obj)

    def delete_queryset(self, request, queryset):
        for integration in queryset:
            services.delete_integration(integration)

    fieldsets = [
        (None, {"fields": ["id", "project", "environment", masked_dsn, "new_dsn", "is_active"]}),
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

    def get_queryset(self, request):
        return access.visible(access.for_admin(request), super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(Project)


@admin.register(Project)
class ProjectWithIntegrationsAdmin(ProjectAdmin):
    inlines = [*ProjectAdmin.inlines, IntegrationInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not SentryIntegration:
            return super().save_formset(request, form, formset, change)
        for integration in formset.deleted_objects:
            services.delete_integration(integration)
        formset.save(commit=False)  # fills new_objects / changed_objects
        for inline_form in formset.forms:
            integration = inline_form.instance
            if integration in formset.new_objects:
                inline_form.save_through_services(integration, adding=True)
            elif any(integration is changed for changed, _fields in formset.changed_objects):
                inline_form.save_through_services(integration, adding=False)
