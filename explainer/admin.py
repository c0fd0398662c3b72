"""Admin: explanations (read-only results, with a Retry action) and webhook deliveries."""

import contextlib

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from projects import access

from . import explanations
from .models import Explanation, WebhookDelivery


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "project", "subject", "status", "provider", "model", "trigger"]
    list_filter = ["status", "provider", "trigger"]
    search_fields = ["issue_id", "issue_short_id", "issue_title", "event_id", "project__name"]
    list_select_related = ["project"]
    actions = ["retry"]
    exclude = ["event", "analysed_event"]  # whole events: the page of the explanation shows them

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return access.visible(access.for_admin(request), super().get_queryset(request))

    @admin.action(description="Retry the selected failed explanations")
    def retry(self, request, queryset):
        principal = access.for_admin(request)
        count = 0
        for explanation in queryset.filter(status=Explanation.FAILED):
            with contextlib.suppress(ValidationError):
                explanations.retry_explanation(principal, explanation)
                count += 1
        self.message_user(request, f"{count} explanation(s) queued again.", messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "resource", "request_id", "project"]
    list_filter = ["resource"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
