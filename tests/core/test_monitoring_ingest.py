"""The test error and test message reach a Sentry ingest with the right context, no secrets."""

import json

import pytest
import sentry_sdk

pytestmark = pytest.mark.django_db

PLANTED = {
    "sentry_token": "sntrys_eyJpYXQiOjE3MDAwMDAwMDAsInVybCI6Imh0dHBzOi8vc2VudHJ5LmlvIn0_PLANTED1",
    "user_token": "sntryu_0123456789abcdefPLANTED2",
    "api_key": "smk_ab12cd34_PLANTEDsecretPLANTED3",
    "dsn_key": "d41d8cd98f00b204PLANTED4",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQTEFOVEVENSJ9.c2lnbmF0dXJlUExBTlRFRDU",
    "cookie": "PLANTEDcookie6",
    "password": "PLANTEDpassword7",
}


@pytest.fixture
def staff(make_user):
    return make_user("staffer", is_staff=True, email="staffer@example.com")


@pytest.fixture
def staff_key(staff):
    """A real write API key of the staff user: it authenticates, and must not leak."""
    from projects.keys.services import issue_api_key

    plaintext = issue_api_key(owner=staff, name="debug", access="write").plaintext
    PLANTED["bearer_api_key"] = plaintext
    yield plaintext
    PLANTED.pop("bearer_api_key")


def planted_request_parts(bearer):
    return {
        "query": (
            f"token={PLANTED['user_token']}"
            f"&dsn=https://{PLANTED['dsn_key']}@o1.ingest.sentry.io/2"
            f"&password={PLANTED['password']}"
        ),
        "headers": {
            "Authorization": f"Bearer {bearer}",
            "X-Upstream-Token": PLANTED["sentry_token"],
            "X-Api-Key": PLANTED["api_key"],
            "X-Forwarded-Token": PLANTED["jwt"],
        },
        "cookies": {"remember_me": PLANTED["cookie"]},
    }


def assert_nothing_planted_in(raw: str):
    leaked = [name for name, secret in PLANTED.items() if secret in raw]
    assert leaked == [], f"secrets sent to Sentry: {leaked}"


def test_test_error_arrives_with_environment_release_user_and_tags(
    settings, sentry_on, staff, staff_key, wsgi
):
    settings.DEBUG = True
    status, _, body = wsgi(
        "POST", "/api/v1/debug/test-error", user=staff, **planted_request_parts(staff_key)
    )
    assert status == 200, body
    answer = json.loads(body)
    assert answer["sent"] is True
    sentry_sdk.flush()

    events = sentry_on.events()
    assert [event["event_id"] for event in events] == [answer["eventId"]]
    event = events[0]
    assert event["environment"] == "staging-eu"
    assert event["release"] == "sentry-manager@9.9.9+test"
    assert event["user"] == {"id": str(staff.pk)}
    assert event["tags"]["debug"] == "test-error"
    assert event["exception"]["values"][-1]["type"] == "SentryTestError"
    assert event["request"]["url"].endswith("/api/v1/debug/test-error")
    assert sentry_on.envelopes()[0].auth.find("sentry_key=public") != -1


def test_test_error_carries_no_secret_planted_in_the_request(
    settings, sentry_on, staff, staff_key, wsgi
):
    settings.DEBUG = True
    parts = planted_request_parts(staff_key)
    status, _, _ = wsgi("POST", "/api/v1/debug/test-error", user=staff, **parts)
    assert status == 200
    sentry_sdk.flush()

    [event] = sentry_on.events()
    raw = sentry_on.raw()
    assert_nothing_planted_in(raw)
    assert "staffer@example.com" not in raw  # the user is sent by id only
    assert event["request"].get("cookies") in (None, "[Filtered]", {})
    headers = event["request"]["headers"]
    for name in ("Authorization", "X-Api-Key", "Cookie", "X-Csrftoken"):
        assert headers.get(name) in (None, "[Filtered]"), name


def test_test_message_arrives_and_returns_its_event_id(settings, sentry_on, staff, wsgi):
    settings.DEBUG = True
    status, _, body = wsgi("POST", "/api/v1/debug/test-message", user=staff)
    assert status == 200
    sentry_sdk.flush()

    [event] = sentry_on.events()
    assert event["event_id"] == json.loads(body)["eventId"]
    assert "test message" in event["message"]
    assert event["level"] == "info"
    assert event["user"] == {"id": str(staff.pk)}
