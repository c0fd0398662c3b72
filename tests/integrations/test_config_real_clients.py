"""A real application's start-up: fetch the config over HTTP, then initialise sentry-sdk with it.

The config is fetched with `requests` from a real server (pytest-django's live_server), and the
real sentry-sdk sends a captured exception to a local Sentry ingest (tests/fakes), so the test
checks what actually goes over the wire, end to end.
"""

import pytest
import requests
import sentry_sdk
from django.core.cache import cache

from projects.keys.services import issue_api_key
from tests.fakes.sentry_ingest import reset_sentry


@pytest.fixture
def restore_sentry():
    assert not sentry_sdk.get_client().is_active(), "a previous test left sentry-sdk on"
    yield
    reset_sentry()


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


class CheckoutFailed(Exception):
    pass


def fetch_sentry_config(base_url: str, slug: str, environment: str, api_key: str) -> dict | None:
    """What an application does at start-up (the README's Python example)."""
    try:
        response = requests.get(
            f"{base_url}/api/integrations/sentry/{slug}",
            params={"environment": environment},
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=5,
        )
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError):
        return None


def test_app_fetches_config_over_http_and_sentry_sdk_sends_to_the_served_dsn(
    live_server,
    transactional_db,
    make_project,
    make_integration,
    user,
    sentry_ingest,
    restore_sentry,
):
    project = make_project("Shop", environment="production")
    make_integration(
        project=project,
        environment="staging",
        dsn=sentry_ingest.dsn,
        org="acme",
        sentry_project="shop",
        traces_sample_rate=0.0,
    )
    make_integration(project=project, environment="production")  # not the one asked for
    key = issue_api_key(owner=user, name="shop", project=project).plaintext

    config = fetch_sentry_config(live_server.url, project.slug, "staging", key)

    assert config == {
        "dsn": sentry_ingest.dsn,
        "environment": "staging",
        "org": "acme",
        "project": "shop",
        "config": {
            "tracesSampleRate": 0.0,
            "replaysSessionSampleRate": 0.1,
            "replaysOnErrorSampleRate": 1.0,
        },
    }

    sentry_sdk.init(
        dsn=config["dsn"],
        environment=config["environment"],
        traces_sample_rate=config["config"]["tracesSampleRate"],
    )
    try:
        raise CheckoutFailed("card declined for order 1234")
    except CheckoutFailed as error:
        event_id = sentry_sdk.capture_exception(error)
    assert event_id
    sentry_sdk.flush(timeout=10)

    events = sentry_ingest.events()
    assert len(events) == 1, sentry_ingest.raw()
    event = events[0]
    assert event["event_id"] == event_id
    assert event["environment"] == "staging"
    exception = event["exception"]["values"][-1]
    assert exception["type"] == "CheckoutFailed"
    assert exception["value"] == "card declined for order 1234"
    envelope = sentry_ingest.envelopes()[0]
    assert envelope.headers["event_id"] == event_id
    assert envelope.headers["trace"]["environment"] == "staging"
    assert envelope.headers["trace"]["public_key"] == "public"
    assert "sentry_key=public" in envelope.auth


def test_app_starts_without_sentry_when_the_config_cannot_be_fetched(
    live_server, transactional_db, make_project, make_integration, user, restore_sentry
):
    project = make_project("Shop")
    make_integration(project=project, environment="production")
    key = issue_api_key(owner=user, name="shop", project=project).plaintext

    # An environment without an integration: 404, and the app goes on without Sentry.
    assert fetch_sentry_config(live_server.url, project.slug, "staging", key) is None
    # Nothing listening at all: same.
    assert fetch_sentry_config("http://127.0.0.1:9", project.slug, "production", key) is None

    response = requests.get(
        f"{live_server.url}/api/integrations/sentry/{project.slug}",
        params={"environment": "staging"},
        headers={"Authorization": f"Bearer {key}"},
        timeout=5,
    )
    assert response.status_code == 404
    assert response.json()["code"] == "integration_not_found"
    assert "staging" in response.json()["detail"]
    assert not sentry_sdk.get_client().is_active()
