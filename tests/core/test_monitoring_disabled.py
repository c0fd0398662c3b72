"""Without APP_SENTRY_DSN the SDK is never initialised and nothing is sent anywhere."""

import json

import pytest
import sentry_sdk

from sentry_manager import monitoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentry_dsn_in_environment(monkeypatch, sentry_ingest):
    # sentry_sdk.init() without a dsn would read $SENTRY_DSN; the app must not fall back to it.
    monkeypatch.setenv("SENTRY_DSN", sentry_ingest.dsn)
    return sentry_ingest


def test_init_does_nothing_without_app_sentry_dsn(settings, sentry_dsn_in_environment):
    settings.APP_SENTRY_DSN = ""
    assert monitoring.init_sentry() is False
    assert sentry_sdk.get_client().is_active() is False


def test_nothing_is_sent_without_app_sentry_dsn(
    settings, sentry_dsn_in_environment, make_user, wsgi
):
    settings.APP_SENTRY_DSN = ""
    settings.DEBUG = True
    monitoring.init_sentry()
    staff = make_user("staffer", is_staff=True)

    status, _, body = wsgi("POST", "/api/v1/debug/test-error", user=staff)
    assert status == 200
    assert json.loads(body) == {
        "detail": "Test error raised and captured. Nothing was sent: APP_SENTRY_DSN is not set.",
        "eventId": None,
        "sent": False,
    }
    wsgi("GET", "/projects", user=staff)
    assert sentry_sdk.capture_message("nobody hears this") is None
    sentry_sdk.flush()
    assert sentry_dsn_in_environment.server.log == []


def test_monitored_call_is_a_cheap_no_op_without_the_sdk():
    with monitoring.monitored_call("http.client", "GET /api/0/issues/", endpoint="issues") as call:
        call.set_http_status(200)
        call.set_data("gen_ai.usage.input_tokens", 12)
    assert call.span is None

    with (
        pytest.raises(ValueError),
        monitoring.monitored_call("gen_ai.chat", "chat gpt-4o-mini"),
    ):
        int("not a number")


def test_the_app_starts_without_sentry_in_the_test_settings():
    # Django is set up by now (AppConfig.ready ran) with the .env of the test run.
    from django.conf import settings

    if not settings.APP_SENTRY_DSN:
        assert sentry_sdk.get_client().is_active() is False
