"""/api/v1/debug/*: development only, staff only, JSON 404 otherwise; status tells no secret."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("post", "/api/v1/debug/test-error"),
    ("post", "/api/v1/debug/test-message"),
    ("get", "/api/v1/debug/sentry-status"),
]
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


@pytest.fixture
def staff_api(make_user):
    client = APIClient()
    client.force_authenticate(user=make_user("staffer", is_staff=True))
    return client


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_debug_endpoints_are_a_json_404_when_debug_is_off(settings, staff_api, method, path):
    settings.DEBUG = False
    response = getattr(staff_api, method)(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert set(response.json()) == {"detail", "code"}


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_debug_endpoints_are_a_404_for_anonymous_callers_when_debug_is_off(
    settings, client, method, path
):
    settings.DEBUG = False
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_debug_endpoints_are_a_404_for_non_staff_users_in_development(settings, api, method, path):
    settings.DEBUG = True
    response = getattr(api, method)(path)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_debug_endpoints_are_a_404_for_anonymous_callers_in_development(settings, method, path):
    settings.DEBUG = True
    response = getattr(APIClient(), method)(path)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_debug_endpoints_are_not_in_the_openapi_schema(client):
    schema = client.get("/api/schema", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/debug" not in schema


def test_sentry_status_shows_host_project_environment_release_and_rates_not_the_key(
    settings, sentry_on, staff_api
):
    settings.DEBUG = True
    response = staff_api.get("/api/v1/debug/sentry-status")
    assert response.status_code == 200
    body = response.json()
    assert body["enabled"] is True
    assert body["dsnHost"] == f"127.0.0.1:{sentry_on.server.port}"
    assert body["dsnProjectId"] == "42"
    assert body["environment"] == "staging-eu"
    assert body["release"] == "sentry-manager@9.9.9+test"
    assert body["tracesSampleRate"] == 1.0
    assert body["profilesSampleRate"] == 0.0
    assert body["sendDefaultPii"] is False
    assert "public" not in response.content.decode()  # the DSN's key


def test_sentry_status_says_disabled_without_a_dsn(settings, staff_api):
    settings.DEBUG = True
    settings.APP_SENTRY_DSN = ""
    body = staff_api.get("/api/v1/debug/sentry-status").json()
    assert body["enabled"] is False
    assert body["dsnHost"] is None
    assert body["dsnProjectId"] is None
