"""Admin: API keys, read-only, with a Revoke action that goes through the keys service (a
superuser can stop a leaked key; its plaintext was never stored, so nothing else to see)."""

from django.contrib import admin, messages
from django.utils import timezone

from .. import access
from . import services
from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "key",
        "owner",
        "scope",
        "access",
        "status",
        "created_at",
        "last_used_at",
        "expires_at",
    ]
    list_filter = ["access", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "owner__username", "project__name", "project__slug"]
    list_select_related = ["owner", "project"]
    actions = ["revoke"]
    fields = [
        "name",
        "key",
        "owner",
        "scope",
        "access",
        "allowed_origins",
        "status",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "replaced_by",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return access.visible_api_keys(access.for_admin(request)).select_related("owner")

    def has_add_permission(self, request):
        return False  # keys are issued on the API keys page, where the plaintext is shown once

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row keeps who used the key and when

    @admin.display(description="Key")
    def key(self, api_key):
        return f"smk_{api_key.prefix}_…"

    @admin.display(description="Scope")
    def scope(self, api_key):
        if api_key.project is None:
            return "all projects"
        project = str(api_key.project)
        return f"{project} · {api_key.environment}" if api_key.environment else project

    @admin.display(description="Status")
    def status(self, api_key):
        return api_key.status(timezone.now())

    @admin.action(description="Revoke the selected API keys (they stop working at once)")
    def revoke(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            services.revoke_api_key(api_key)
            revoked += 1
        self.message_user(request, f"{revoked} API key(s) revoked.", messages.SUCCESS)
