"""Brute force is limited: failed logins per account and per address (the message says when
to try again, and the right password is refused too until then), failed API keys per address
(429 with Retry-After on the JSON API and the config endpoint) without slowing valid keys."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
from tests.conftest import PASSWORD

LIMIT = 3


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = LIMIT
    settings.LOGIN_FAILURES_PER_IP = 2 * LIMIT
    settings.API_KEY_FAILURES_PER_IP = LIMIT
    settings.CONFIG_ENDPOINT_RATE_PER_MINUTE = 0


def log_in(client, username, password, url="/accounts/login/", address="10.9.8.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failed_logins_lock_the_account_and_say_when_to_retry(client, user, limits):
    for _ in range(LIMIT):
        response = log_in(client, "alice", "wrong")
        assert "Please enter a correct username" in response.content.decode()
    response = log_in(client, "alice", PASSWORD)  # the right password, too late
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        r"Too many failed logins for this account. Try again in \d+ (minutes|seconds)", page
    )
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_ignores_case(client, user, make_user, limits):
    make_user("bob")
    for _ in range(LIMIT):
        log_in(client, "Alice", "wrong")
    assert "Too many failed" in log_in(client, "ALICE", PASSWORD).content.decode()
    response = log_in(client, "bob", PASSWORD)
    assert response.status_code == 302


def test_failed_logins_from_one_address_lock_every_account(client, user, make_user, limits):
    make_user("bob")
    for number in range(2 * LIMIT):
        log_in(client, f"nobody{number}", "wrong")
    page = log_in(client, "bob", PASSWORD).content.decode()
    assert "Too many failed logins for your network address" in page
    assert log_in(client, "bob", PASSWORD, address="10.9.8.8").status_code == 302


def test_the_admin_login_is_limited_too(client, make_user, limits):
    make_user("root", is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        log_in(client, "root", "wrong", url="/admin/login/")
    response = log_in(client, "root", PASSWORD, url="/admin/login/")
    assert response.status_code == 200
    assert "Too many failed logins for this account" in response.content.decode()


def test_behind_a_proxy_the_forwarded_address_counts(client, user, make_user, settings, limits):
    settings.NUM_PROXIES = 1
    make_user("bob")
    for number in range(2 * LIMIT):
        client.post(
            "/accounts/login/",
            {"username": f"x{number}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    other = client.post(
        "/accounts/login/",
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert other.status_code == 302  # another client behind the same proxy


# --- API keys ---------------------------------------------------------------------------------

BAD_KEY = "Bearer smk_madeup0000_notasecret"


@pytest.mark.parametrize("url", ["/api/projects", "/api/integrations/sentry/shop"])
def test_made_up_keys_from_one_address_get_429_with_retry_after(client, user, limits, url):
    answers = [client.get(url, HTTP_AUTHORIZATION=BAD_KEY).status_code for _ in range(LIMIT + 2)]
    assert answers == [401] * (LIMIT - 1) + [429] * 3
    response = client.get(url, HTTP_AUTHORIZATION=BAD_KEY)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled" and "Retry in" in body["detail"]
    assert 1 <= int(response["Retry-After"]) <= 301


def test_a_valid_key_still_works_from_a_throttled_address(client, user, make_project, limits):
    make_project("Shop")
    valid = issue_api_key(owner=user, name="app", access=ApiKey.READ).plaintext
    for _ in range(LIMIT + 1):
        client.get("/api/projects", HTTP_AUTHORIZATION=BAD_KEY)
    response = client.get("/api/projects", HTTP_AUTHORIZATION=f"Bearer {valid}")
    assert response.status_code == 200


def test_a_valid_key_costs_the_config_endpoint_no_cache_write_for_failures(
    client, user, make_project, limits, settings
):
    from django.core.cache import cache

    from integrations.services import create_integration

    project = make_project("Shop", environment="production")
    create_integration(
        project=project,
        environment="production",
        dsn="https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42",
        org="acme",
        sentry_project="shop",
    )
    valid = issue_api_key(owner=user, name="app").plaintext
    client.get("/api/integrations/sentry/shop", HTTP_AUTHORIZATION=f"Bearer {valid}")  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/integrations/sentry/shop", HTTP_AUTHORIZATION=f"Bearer {valid}")
    assert response.status_code == 200
    assert len(queries) == 1
    assert not any(key.startswith(":1:failures:") for key in cache._cache)
