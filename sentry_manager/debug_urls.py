"""/api/v1/debug/...: development-only endpoints of self-monitoring (see debug_views)."""

from django.urls import path

from . import debug_views

urlpatterns = [
    path("test-error", debug_views.TestErrorApi.as_view(), name="debug-test-error"),
    path("test-message", debug_views.TestMessageApi.as_view(), name="debug-test-message"),
    path("sentry-status", debug_views.SentryStatusApi.as_view(), name="debug-sentry-status"),
]
