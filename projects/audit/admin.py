from django.contrib import admin

from .. import access
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["created_at", "team", "actor", "ip", "action", "target"]
    list_filter = ["action"]
    search_fields = ["actor", "target", "action"]
    list_select_related = ["team"]

    def get_queryset(self, request):
        return access.visible(access.for_admin(request), super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
