"""CORS on the config endpoint: only for the origins a key lists."""

import pytest
from django.core.cache import cache

from projects.keys.services import issue_api_key

pytestmark = pytest.mark.django_db
URL = "/api/integrations/sentry/shop"
ALLOWED = "https://app.example.com"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


@pytest.fixture
def browser_key(user, make_project, make_integration):
    project = make_project("Shop", environment="production")
    make_integration(project=project)
    return issue_api_key(
        owner=user, name="web", project=project, allowed_origins=[ALLOWED]
    ).plaintext


def test_allowed_origin_gets_cors_headers(client, browser_key):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {browser_key}", HTTP_ORIGIN=ALLOWED)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in response["Vary"]


def test_other_origin_gets_no_cors_headers(client, browser_key):
    response = client.get(
        URL, HTTP_AUTHORIZATION=f"Bearer {browser_key}", HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


def test_key_without_origins_gives_no_cors_headers(client, user, browser_key):
    server_key = issue_api_key(owner=user, name="server").plaintext
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {server_key}", HTTP_ORIGIN=ALLOWED)
    assert not response.has_header("Access-Control-Allow-Origin")


def test_preflight_is_answered_for_a_listed_origin(client, browser_key):
    response = client.options(
        URL,
        HTTP_ORIGIN=ALLOWED,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "Authorization" in response["Access-Control-Allow-Headers"]


def test_preflight_from_another_origin_gets_no_cors_headers(client, browser_key):
    response = client.options(
        URL, HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert not response.has_header("Access-Control-Allow-Origin")


def test_revoked_keys_origins_are_no_longer_allowed(client, browser_key):
    from django.utils import timezone

    from projects.models import ApiKey

    ApiKey.objects.update(revoked_at=timezone.now())
    response = client.options(URL, HTTP_ORIGIN=ALLOWED, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert not response.has_header("Access-Control-Allow-Origin")
