"""Hostile requests get a clear 4xx in the API's one JSON shape (a plain page elsewhere), never
a 500, and store nothing: NUL bytes anywhere, JSON nested 10,000 deep, bodies too large, too
many fields, a host the server does not serve, bytes that are not UTF-8."""

import hashlib
import hmac
import time

import pytest
from rest_framework.test import APIClient

from explainer.models import Explanation, ImportedEvent, WebhookDelivery
from integrations.models import SentryIntegration
from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
from projects.models import Project

DEEP = "[" * 10_000 + "]" * 10_000
DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42"
SECRET = "b" * 64


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Project, SentryIntegration, ApiKey, ImportedEvent, Explanation)
    }


@pytest.fixture
def shop(make_project, settings):
    settings.CONFIG_ENDPOINT_RATE_PER_MINUTE = 0
    from integrations.services import create_integration

    project = make_project("Shop", environment="production")
    integration = create_integration(
        project=project,
        environment="production",
        dsn=DSN,
        org="acme",
        sentry_project="backend",
        api_base_url="https://sentry.io",
        webhook_secret=SECRET,
        auto_explain=True,
    )
    return project, integration


@pytest.fixture
def key_client(user):
    issued = issue_api_key(owner=user, name="script", access=ApiKey.WRITE)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}")
    return client, issued.api_key


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"]
    if field is not None:
        assert list(body["fields"]) == [field], body
    return body


# --- NUL bytes ------------------------------------------------------------------------------


def test_a_nul_in_the_config_endpoints_path_is_a_400_with_any_key(client, shop):
    before = counts()
    response = client.get(
        "/api/integrations/sentry/alpha%00", HTTP_AUTHORIZATION="Bearer smk_madeup_x"
    )
    assert "NUL" in assert_error(response, 400, "nul_character")["detail"]
    assert counts() == before


@pytest.mark.parametrize("route", ["config", "issues"])
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(client, key_client, shop, route):
    project, _ = shop
    api, _key = key_client
    url = {
        "config": "/api/integrations/sentry/shop",
        "issues": f"/api/projects/{project.pk}/sentry-issues",
    }[route]
    response = api.get(url + "?environment=prod%00uction")
    body = assert_error(response, 400, "nul_character", field="environment")
    assert "'environment'" in body["detail"]


def test_a_nul_in_an_event_field_is_a_400_naming_it_and_nothing_is_stored(key_client, shop):
    project, _ = shop
    api, _key = key_client
    body = '{"event_id": "' + "a" * 32 + '", "title": "a\\u0000b", "message": "x"}'
    response = api.post(f"/api/projects/{project.pk}/events", body, content_type="application/json")
    assert_error(response, 400, "nul_character", field="title")
    assert ImportedEvent.objects.count() == 0


def test_a_nul_in_a_page_address_is_a_plain_400_page(browser_client):
    response = browser_client.get("/projects?environment=prod%00uction")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "NUL" in response.content.decode()


# --- Nested too deep --------------------------------------------------------------------------


def json_routes(project, integration, api_key):
    return [
        ("post", "/api/projects"),
        ("patch", f"/api/projects/{project.pk}"),
        ("post", "/api/keys"),
        ("post", f"/api/keys/{api_key.pk}/roll"),
        ("post", f"/api/projects/{project.pk}/sentry"),
        ("patch", f"/api/projects/{project.pk}/sentry/{integration.pk}"),
        ("post", f"/api/projects/{project.pk}/events"),
        ("post", f"/api/projects/{project.pk}/explanations"),
    ]


@pytest.mark.parametrize("index", range(8))
def test_json_nested_10000_deep_is_a_400_on_every_json_endpoint(key_client, shop, index):
    project, integration = shop
    api, api_key = key_client
    method, url = json_routes(project, integration, api_key)[index]
    before = counts()
    response = getattr(api, method)(url, DEEP, content_type="application/json")
    assert "64 levels" in assert_error(response, 400, "too_deep")["detail"]
    assert counts() == before


def test_a_deep_field_is_named(key_client, shop):
    project, _ = shop
    api, _key = key_client
    body = '{"event_id": "' + "a" * 32 + '", "title": "t", "extra": ' + DEEP + "}"
    response = api.post(f"/api/projects/{project.pk}/events", body, content_type="application/json")
    body = assert_error(response, 400, "too_deep", field="extra")
    assert "extra[0][0]" in body["detail"]


def test_a_deep_pasted_event_is_a_form_error(browser_client, shop):
    project, _ = shop
    response = browser_client.post(
        f"/projects/{project.slug}/events/import", {"event_json": '{"title": ' + DEEP + "}"}
    )
    assert response.status_code == 422
    assert "nested more than 64 levels deep at title" in response.content.decode()
    assert ImportedEvent.objects.count() == 0


def signed_delivery(client, project, raw: bytes):
    headers = {
        "Sentry-Hook-Resource": "event_alert",
        "Sentry-Hook-Timestamp": str(int(time.time())),
        "Request-ID": "deep-1",
        "Sentry-Hook-Signature": hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest(),
    }
    return client.post(
        f"/api/webhooks/sentry/{project.pk}", raw, content_type="application/json", headers=headers
    )


def test_a_correctly_signed_deep_webhook_is_a_400(client, shop):
    project, _ = shop
    raw = ('{"action": "triggered", "data": ' + DEEP + "}").encode()
    body = assert_error(signed_delivery(client, project, raw), 400, "too_deep", field="data")
    assert "64 levels" in body["detail"]
    assert (Explanation.objects.count(), WebhookDelivery.objects.count()) == (0, 0)


def test_a_signed_webhook_with_a_nul_is_a_400(client, shop):
    project, _ = shop
    raw = b'{"action": "triggered", "data": {"event": {"title": "a\\u0000b"}}}'
    assert_error(signed_delivery(client, project, raw), 400, "nul_character", field="data")
    assert Explanation.objects.count() == 0


# --- Unicode --------------------------------------------------------------------------------


def test_a_body_that_is_not_utf8_is_a_400(key_client):
    api, _key = key_client
    before = counts()
    response = api.post("/api/projects", b'{"name": "caf\xe9"}', content_type="application/json")
    assert "UTF-8" in assert_error(response, 400, "malformed_unicode")["detail"]
    assert counts() == before


@pytest.mark.parametrize(
    ("escape", "code"), [("\\u0000", "nul_character"), ("\\ud800", "malformed_unicode")]
)
def test_a_nul_or_an_unpaired_surrogate_is_a_400_naming_the_field(key_client, escape, code):
    api, _key = key_client
    before = counts()
    body = '{"name": "a' + escape + '"}'
    response = api.post("/api/projects", body, content_type="application/json")
    assert_error(response, 400, code, field="name")
    assert counts() == before


def test_bad_percent_encoding_in_the_query_is_a_clear_400(key_client, shop):
    api, _key = key_client
    response = api.get("/api/integrations/sentry/shop?environment=%ff%zz")
    assert_error(response, 400, "invalid_environment")


# --- What Django refuses before a view runs ----------------------------------------------------


def test_a_20_mb_body_is_a_413_in_the_json_shape(key_client, shop):
    project, _ = shop
    api, _key = key_client
    raw = b'{"title": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    for url in ("/api/projects", f"/api/projects/{project.pk}/events"):
        response = api.post(url, raw, content_type="application/json")
        assert "MB" in assert_error(response, 413, "request_too_large")["detail"]
    assert ImportedEvent.objects.count() == 0


def test_a_20_mb_signed_webhook_is_a_413(client, shop):
    project, _ = shop
    raw = b'{"action": "triggered", "data": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    assert_error(signed_delivery(client, project, raw), 413, "request_too_large")


def test_a_signed_webhook_just_over_the_event_limit_is_a_413(client, shop, settings):
    project, _ = shop
    size = settings.EVENT_IMPORT_MAX_BYTES + 1024  # under the request limit, over the event's
    raw = b'{"action": "triggered", "data": "' + b"x" * size + b'"}'
    assert_error(signed_delivery(client, project, raw), 413, "request_too_large")
    assert (Explanation.objects.count(), WebhookDelivery.objects.count()) == (0, 0)


def test_a_20_mb_page_post_is_a_413_page(browser_client, shop):
    project, _ = shop
    response = browser_client.post(
        f"/projects/{project.slug}/events/import", {"event_json": "x" * (20 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "too large" in response.content.decode()
    assert ImportedEvent.objects.count() == 0


def test_1200_query_fields_are_a_400_in_the_json_shape(key_client, shop):
    api, _key = key_client
    query = "&".join(f"f{i}=1" for i in range(1200))
    for url in ("/api/projects", "/api/integrations/sentry/shop"):
        response = api.get(f"{url}?{query}")
        assert_error(response, 400, "too_many_fields")


def test_1200_form_fields_on_a_page_are_a_plain_400_page(browser_client, shop):
    project, _ = shop
    before = counts()
    response = browser_client.post(
        f"/projects/{project.slug}/events/import", {f"f{i}": "1" for i in range(1200)}
    )
    assert response.status_code == 400
    assert "too many fields" in response.content.decode()
    assert counts() == before


def test_a_host_the_server_does_not_serve_is_a_400_in_the_json_shape(key_client):
    api, _key = key_client
    response = api.get("/api/projects", HTTP_HOST="evil.example")
    assert_error(response, 400, "disallowed_host")


def test_a_host_the_server_does_not_serve_is_a_plain_page(client):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "host name" in response.content.decode()
