"""Debug endpoints for self-monitoring: development only (DEBUG), staff only, 404 otherwise.

They check `settings.DEBUG` on every request, so a production server answers 404 whatever
its URL configuration, and they stay out of the OpenAPI schema.
"""

import sentry_sdk
from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from sentry_manager.lib.api import ApiView

from .sdk import status


class SentryTestError(Exception):
    """Raised on purpose by POST /api/v1/debug/test-error."""


class DevelopmentStaffOnly(BasePermission):
    """Anyone else, and everyone outside development, is told the endpoint does not exist."""

    def has_permission(self, request, view):
        if not settings.DEBUG:
            raise Http404("Debug endpoints exist in development only (DEBUG=true).")
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            raise Http404("Not found.")
        return True


@extend_schema(exclude=True)
class DebugApiView(ApiView):
    permission_classes = [DevelopmentStaffOnly]

    def initial(self, request, *args, **kwargs):
        # Outside development, answer 404 before authentication or CSRF can answer otherwise.
        if not settings.DEBUG:
            raise Http404("Debug endpoints exist in development only (DEBUG=true).")
        super().initial(request, *args, **kwargs)


class TestErrorApi(DebugApiView):
    def post(self, request):
        try:
            raise SentryTestError("Sentry Manager test error from POST /api/v1/debug/test-error")
        except SentryTestError as error:
            with sentry_sdk.new_scope() as scope:
                scope.set_tag("debug", "test-error")
                event_id = sentry_sdk.capture_exception(error)
        return Response(_sent("Test error raised and captured.", event_id))


class TestMessageApi(DebugApiView):
    def post(self, request):
        with sentry_sdk.new_scope() as scope:
            scope.set_tag("debug", "test-message")
            event_id = sentry_sdk.capture_message(
                "Sentry Manager test message from POST /api/v1/debug/test-message", level="info"
            )
        return Response(_sent("Test message sent.", event_id))


class SentryStatusApi(DebugApiView):
    def get(self, request):
        return Response(status())


def _sent(detail: str, event_id) -> dict:
    if event_id is None:
        detail += " Nothing was sent: APP_SENTRY_DSN is not set."
    return {"detail": detail, "eventId": event_id, "sent": event_id is not None}
