"""before_send / before_send_transaction / before_breadcrumb drop every secret."""

import pytest
import sentry_sdk

from sentry_manager.monitoring.scrubbing import FILTERED, is_sensitive_key, scrub, scrub_string
from tests.core.secret_tables import PROSE, SECRETS


@pytest.mark.parametrize(
    "key",
    [
        "Authorization",
        "Cookie",
        "Set-Cookie",
        "X-Api-Key",
        "X-CSRFToken",
        "password",
        "new_password",
        "client_secret",
        "auth_token",
        "authToken",
        "access_token",
        "api_key",
        "apiKey",
        "dsn",
        "sessionid",
        "HTTP_AUTHORIZATION",
    ],
)
def test_secret_keys_are_recognised(key):
    assert is_sensitive_key(key)


@pytest.mark.parametrize(
    "key",
    ["gen_ai.usage.input_tokens", "total_tokens", "environment", "slug", "duration_ms"],
)
def test_ordinary_keys_are_kept(key):
    assert not is_sensitive_key(key)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("token sntrys_eyJpYXQiOjE3MDB9_abcDEF123+/=", "sntrys_"),
        ("user token sntryu_0123456789abcdef0123456789abcdef", "sntryu_"),
        ("key smk_ab12cd34_s3cr3tPart-xyz used", "smk_"),
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_", "eyJhbGciOiJIUzI1NiJ9"),
        ("openai sk-proj-ABCDEFGHIJKLMNOPQRSTUV", "sk-proj-"),
        ("GET /x?token=abc123&page=2", "abc123"),
        ("password=hunter2 retry", "hunter2"),
    ],
)
def test_secret_strings_are_filtered(text, secret):
    assert secret not in scrub_string(text)
    assert FILTERED in scrub_string(text)


def test_dsn_public_key_is_filtered_and_host_and_project_kept():
    assert (
        scrub_string("dsn https://abc123def@o1.ingest.sentry.io/42")
        == "dsn https://[Filtered]@o1.ingest.sentry.io/42"
    )


def test_ordinary_text_is_untouched():
    text = "Explained issue PROJ-1 with 1234 input tokens in 2.5 s"
    assert scrub_string(text) == text


def test_nested_event_data_is_scrubbed_at_any_depth():
    event = {
        "request": {
            "headers": {"Authorization": "Bearer x", "X-Api-Key": "k", "Accept": "text/html"},
            "cookies": {"sessionid": "s"},
            "query_string": "api_key=abc&page=1",
        },
        "extra": {"integration": {"config": {"dsn": "https://k@h/1", "authToken": "t"}}},
        "exception": {"values": [{"stacktrace": {"frames": [{"vars": {"password": "p"}}]}}]},
        "spans": [{"data": {"gen_ai.usage.input_tokens": 10, "hasAuthToken": True}}],
        "breadcrumbs": {"values": [{"data": {"headers": [["Cookie", "c=1"], ["Accept", "*"]]}}]},
    }
    scrubbed = scrub(event)
    assert scrubbed["request"]["headers"] == {
        "Authorization": FILTERED,
        "X-Api-Key": FILTERED,
        "Accept": "text/html",
    }
    assert scrubbed["request"]["cookies"] == FILTERED
    assert scrubbed["request"]["query_string"] == f"api_key={FILTERED}&page=1"
    assert scrubbed["extra"]["integration"]["config"] == {"dsn": FILTERED, "authToken": FILTERED}
    frame = scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame["vars"] == {"password": FILTERED}
    assert scrubbed["spans"][0]["data"] == {"gen_ai.usage.input_tokens": 10, "hasAuthToken": True}
    headers = scrubbed["breadcrumbs"]["values"][0]["data"]["headers"]
    assert headers == [["Cookie", FILTERED], ["Accept", "*"]]


def test_messages_extras_and_breadcrumbs_are_scrubbed_on_the_wire(sentry_on):
    sentry_sdk.add_breadcrumb(
        category="http", message="GET https://pubkey1@o1.ingest.sentry.io/2", data={"token": "t1"}
    )
    with sentry_sdk.new_scope() as scope:
        scope.set_extra("integration", {"dsn": "https://pubkey2@o1.ingest.sentry.io/2"})
        scope.set_context("sentry_api", {"auth_token": "sntrys_PLANTEDctx"})
        sentry_sdk.capture_message("calling Sentry with Bearer sntrys_PLANTEDmsg")
    sentry_sdk.flush()

    [event] = sentry_on.events()
    raw = sentry_on.raw()
    for secret in ("pubkey1", "pubkey2", "PLANTEDctx", "PLANTEDmsg", '"t1"'):
        assert secret not in raw, secret
    assert event["message"] == "calling Sentry with Bearer [Filtered]"


def test_transactions_are_scrubbed_too(sentry_on):
    with sentry_sdk.start_transaction(name="job"), sentry_sdk.start_span(op="http.client") as span:
        span.set_data("url", "https://example.org/x?access_token=PLANTEDspan")
        span.set_data("api_key", "PLANTEDkey")
    sentry_sdk.flush()

    assert len(sentry_on.transactions()) == 1
    assert "PLANTEDspan" not in sentry_on.raw()
    assert "PLANTEDkey" not in sentry_on.raw()


@pytest.mark.parametrize(("text", "secret"), SECRETS)
def test_self_monitoring_uses_the_one_detector(text, secret):
    assert secret not in scrub_string(text)
    assert FILTERED in scrub_string(text)


@pytest.mark.parametrize("text", PROSE)
def test_self_monitoring_keeps_diagnostic_prose(text):
    assert scrub_string(text) == text


def test_before_send_replaces_the_users_identity_outside_the_user_context():
    from sentry_manager.monitoring.scrubbing import scrub_event

    event = {
        "user": {"id": "4242", "username": "jdoe42", "email": "jane.doe@example.com"},
        "message": "jdoe42 asked for an explanation of issue 4504123456",
        "breadcrumbs": {"values": [{"message": "user 4242 signed in"}]},
    }
    scrubbed = scrub_event(event, {})
    assert scrubbed["message"] == "[Filtered] asked for an explanation of issue 4504123456"
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "user [Filtered] signed in"
    # The user context stays for Sentry's user counts: its id, not its personal data.
    assert scrubbed["user"] == {"id": "4242", "username": FILTERED, "email": FILTERED}
