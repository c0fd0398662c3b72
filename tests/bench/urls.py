from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.urls import path

from sentry_manager.urls import urlpatterns as app_urlpatterns

# The same body the config endpoint returns, from a view that does nothing else.
BODY = {
    "dsn": "https://0123456789abcdef0123456789abcdef@o123456.ingest.sentry.io/4501234567890",
    "environment": "production",
    "org": "bench-org",
    "project": "bench-project",
    "config": {
        "tracesSampleRate": 0.1,
        "replaysSessionSampleRate": 0.1,
        "replaysOnErrorSampleRate": 1.0,
    },
}


@login_not_required
def bare(request):
    return JsonResponse(BODY)


@login_not_required
def bare_with_round_trip(request):
    """The bare view plus one `SELECT 1`: the floor for any design that asks the database on
    each request (as the config endpoint must, so that revocation holds at once)."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute("SELECT 1")
        cursor.fetchall()
    finally:
        cursor.close()
    return JsonResponse(BODY)


urlpatterns = [
    path("bench/bare", bare),
    path("bench/bare-select-1", bare_with_round_trip),
    *app_urlpatterns,
]
