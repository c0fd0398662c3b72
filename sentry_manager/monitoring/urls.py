"""/api/v1/debug/...: development-only endpoints of self-monitoring (see debug)."""

from django.urls import path

from . import debug

urlpatterns = [
    path("test-error", debug.TestErrorApi.as_view(), name="debug-test-error"),
    path("test-message", debug.TestMessageApi.as_view(), name="debug-test-message"),
    path("sentry-status", debug.SentryStatusApi.as_view(), name="debug-sentry-status"),
]
