"""The one detector of secrets and personal data (sentry_manager.lib.secrets).

Real error messages pass unchanged; secrets of every documented shape do not; key names are
matched as whole words; the user's identity is replaced; the time is linear in the text.
"""

import time

import pytest

from sentry_manager.lib.secrets import Identity, is_sensitive_key, redact, redact_text
from tests.core.secret_tables import PROSE, SECRETS


@pytest.mark.parametrize("text", PROSE)
def test_real_error_messages_pass_unchanged(text):
    assert redact_text(text) == text


@pytest.mark.parametrize(("text", "secret"), SECRETS)
def test_secrets_of_every_shape_are_removed(text, secret):
    redacted = redact_text(text)
    assert secret not in redacted
    assert "[" in redacted and "]" in redacted  # a placeholder says something was there


def test_tables_are_large_enough():
    assert len(PROSE) >= 30 and len(SECRETS) >= 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail jane@example.com now", "mail [email] now"),
        ("from 10.0.0.1.", "from [ip]."),
        ("Authorization: Bearer abcdef123456", "Authorization: Bearer [token]"),
        ("key AKIAIOSFODNN7EXAMPLE", "key [aws-key]"),
        ("card 4111-1111-1111-1111 ok", "card [card] ok"),
        (
            "Checkout failed (session cookie: sessionid=8f7e6d5c4b3a): unknown code 'SPRING24'",
            "Checkout failed (session cookie: sessionid=[filtered]): unknown code 'SPRING24'",
        ),
        (
            "dsn https://abc123def@o1.ingest.sentry.io/42",
            "dsn https://[credentials]@o1.ingest.sentry.io/42",
        ),
    ],
)
def test_placeholders_are_typed_and_the_rest_of_the_line_stays(text, expected):
    assert redact_text(text) == expected


def test_one_placeholder_for_all_when_asked():
    assert redact_text("Bearer abc.def-ghi to jane@example.com", "[Filtered]") == (
        "Bearer [Filtered] to [Filtered]"
    )


def test_a_card_number_that_fails_luhn_is_an_ordinary_number():
    assert redact_text("order 4242 4242 4242 4241") == "order 4242 4242 4242 4241"


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "new_password",
        "Authorization",
        "HTTP_AUTHORIZATION",
        "Proxy-Authorization",
        "Cookie",
        "Set-Cookie",
        "X-Api-Key",
        "X-CSRFToken",
        "XSRF-TOKEN",
        "csrftoken",
        "sessionid",
        "PHPSESSID",
        "connect.sid",
        "auth_token",
        "authToken",
        "access_token",
        "api_key",
        "apiKey",
        "client_secret",
        "mysql_pwd",
        "private_key",
        "x_forwarded_for",
        "REMOTE_ADDR",
        "ip_address",
        "dsn",
        "http.request.header.authorization",
        "'dsn'",
    ],
)
def test_sensitive_key_names(key):
    assert is_sensitive_key(key)


@pytest.mark.parametrize(
    "key",
    [
        "author",
        "authority",
        "bypass",
        "compass",
        "prompt_tokens",
        "total_tokens",
        "gen_ai.usage.input_tokens",
        "session.status",
        "environment",
        "slug",
        "duration_ms",
        "PublicKeyToken",
        "token_type",
    ],
)
def test_keys_that_only_contain_a_sensitive_word_keep_their_values(key):
    assert not is_sensitive_key(key)


def test_values_under_sensitive_keys_are_filtered_at_any_depth_and_others_kept():
    value = {
        "author": "tolstoy",
        "bypass": True,
        "compass": "north",
        "usage": {"prompt_tokens": 812},
        "session.status": "crashed",
        "headers": [["Authorization", "Bearer x"], ["Accept", "*/*"]],
        "tags": [{"key": "session_id", "value": "abc"}],
        "deep": [{"config": {"API_KEY": 42, "hasAuthToken": True, "password": None}}],
    }
    assert redact(value) == {
        "author": "tolstoy",
        "bypass": True,
        "compass": "north",
        "usage": {"prompt_tokens": 812},
        "session.status": "crashed",
        "headers": [["Authorization", "[filtered]"], ["Accept", "*/*"]],
        "tags": [{"key": "session_id", "value": "[filtered]"}],
        "deep": [{"config": {"API_KEY": "[filtered]", "hasAuthToken": True, "password": None}}],
    }


def test_the_users_identity_is_replaced_wherever_it_appears():
    identity = Identity.of_user(
        {
            "id": "1337",
            "username": "jdoe",
            "email": "jane.doe@example.com",
            "ip_address": "203.0.113.7",
            "name": "Jane Doe",
        },
        user_tag="id:1337",
    )
    text = "user 1337 (jdoe, Jane Doe) signed in as jane.doe from 203.0.113.7; JDOE again"
    assert identity.redact(text) == (
        "user [user] ([user], [user]) signed in as [user] from [user]; [user] again"
    )
    assert identity.redact("janet and 13370 are someone else") == (
        "janet and 13370 are someone else"
    )


def test_short_ids_and_loopback_addresses_identify_nobody():
    identity = Identity.of_user({"id": "1", "ip_address": "127.0.0.1"})
    assert not identity
    assert identity.redact("line 1 on 127.0.0.1") == "line 1 on 127.0.0.1"


# The worst text for each kind of pattern, as (unit, repeats for 5 MB).
ADVERSARIAL = {
    "one word": ("m", 5_000_000),
    "at signs": ("a@", 2_500_000),
    "dots": ("1.", 2_500_000),
    "colons": ("a:", 2_500_000),
    "hex colons": ("1:", 2_500_000),
    "equals": ("token=x&", 625_000),
    "schemes": ("Bearer ", 715_000),
    "digits": ("4242 ", 1_000_000),
    "plus digits": ("+1 ", 1_670_000),
    "jwt starts": ("eyJa.", 1_000_000),
    "pem starts": ("-----BEGIN ", 455_000),
    "url starts": ("http://", 715_000),
    "quotes": ('password: "', 455_000),
    "cookies": ("cookie: ", 625_000),
}


def _seconds(text) -> float:
    started = time.monotonic()
    redact_text(text)
    return time.monotonic() - started


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_time_is_linear_on_5_mb_of_the_worst_text(kind):
    unit, repeats = ADVERSARIAL[kind]
    small, large = unit * (repeats // 10), unit * repeats
    assert len(large) >= 4_900_000
    # Ten times the text takes about ten times as long (a quadratic pattern would take a
    # hundred), and seconds, not minutes, even on a busy machine.
    small_time, large_time = _seconds(small), _seconds(large)
    assert large_time < 25 * small_time + 0.5, (small_time, large_time)
    assert large_time < 15
