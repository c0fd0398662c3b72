"""GET /js/<loader id>.js: the browser loader's script, caching, CORS and revocation; the
vendored SDK it loads; the services behind the page's loader controls."""

import base64
import hashlib
import json
import re

import pytest
from django.core.exceptions import ValidationError

from integrations import loader, services
from projects.keys.services import issue_api_key
from tests.fakes.sentry_server import TOKEN

from .conftest import GOOD_DSN

pytestmark = pytest.mark.django_db
PAGE = "https://shop.example.com"


@pytest.fixture
def integration(make_project, make_integration):
    integration = make_integration(
        make_project("Shop"),
        environment="staging",
        auth_token=TOKEN,
        traces_sample_rate=0.25,
        replays_session_sample_rate=0.0,
        replays_on_error_sample_rate=0.5,
    )
    services.issue_loader_id(integration)
    return integration


def _get(client, integration_or_id, **headers):
    loader_id = getattr(integration_or_id, "loader_id", integration_or_id)
    return client.get(f"/js/{loader_id}.js", **headers)


def _options(body: str) -> dict:
    return json.loads(re.search(r"var options = (\{.*?\});", body).group(1))


def test_script_starts_the_sdk_with_the_stored_dsn_environment_and_rates(client, integration):
    response = _get(client, integration)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    body = response.content.decode()
    assert _options(body) == {
        "dsn": GOOD_DSN,
        "environment": "staging",
        "tracesSampleRate": 0.25,
        "replaysSessionSampleRate": 0.0,
        "replaysOnErrorSampleRate": 0.5,
    }
    sdk = f"http://testserver/js/sdk/{loader.SDK_FILE}"
    assert f'"src": "{sdk}"' in body
    assert "cdn" not in body.lower()


def test_no_secret_in_the_script(client, integration, user):
    key = issue_api_key(owner=user, name="app").plaintext
    body = _get(client, integration).content.decode()
    assert TOKEN not in body
    assert "smk_" not in body and key not in body
    assert "Authorization" not in body


def test_loader_id_is_random_and_long(integration, make_integration):
    assert re.fullmatch(r"[0-9a-f]{32}", integration.loader_id)
    other = make_integration(integration.project, environment="production")
    assert services.issue_loader_id(other) != integration.loader_id


def test_public_cache_for_the_configured_max_age(client, integration, settings):
    assert _get(client, integration)["Cache-Control"] == "public, max-age=60"
    settings.LOADER_CACHE_MAX_AGE = 300
    response = _get(client, integration)
    assert response["Cache-Control"] == "public, max-age=300"
    assert "up to 300 s" in response.content.decode()


def test_etag_gives_304_and_changes_with_a_sample_rate(client, integration):
    etag = _get(client, integration)["ETag"]
    again = _get(client, integration, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=60"
    services.update_integration(integration, traces_sample_rate=0.5)
    changed = _get(client, integration, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert _options(changed.content.decode())["tracesSampleRate"] == 0.5


def test_cors_any_page_until_origins_are_listed(client, integration):
    response = _get(client, integration, HTTP_ORIGIN=PAGE)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Origin" in response["Vary"]
    services.set_loader_origins(integration, f"{PAGE} https://www.example.com/")
    assert integration.loader_origins == [PAGE, "https://www.example.com"]
    allowed = _get(client, integration, HTTP_ORIGIN=PAGE)
    assert allowed["Access-Control-Allow-Origin"] == PAGE
    assert "Origin" in allowed["Vary"]
    other = _get(client, integration, HTTP_ORIGIN="https://evil.example")
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other
    assert f'var origins = ["{PAGE}", "https://www.example.com"];' in other.content.decode()


def test_bad_origins_are_refused_and_change_nothing(integration):
    services.set_loader_origins(integration, [PAGE])
    with pytest.raises(ValidationError) as error:
        services.set_loader_origins(integration, "https://ok.example.com not-an-origin")
    assert "is not an origin" in error.value.message_dict["loader_origins"][0]
    integration.refresh_from_db()
    assert integration.loader_origins == [PAGE]


def test_revoked_id_is_404_at_once(client, integration):
    old = integration.loader_id
    services.revoke_loader(integration)
    response = _get(client, old)
    assert response.status_code == 404
    assert "revoked" in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=60"


def test_regenerated_id_replaces_the_old_one(client, integration):
    old = integration.loader_id
    new = services.issue_loader_id(integration)
    assert new != old
    assert _get(client, old).status_code == 404
    assert _get(client, new).status_code == 200


def test_inactive_integration_or_project_serves_no_loader(client, integration):
    services.set_integration_active(integration, False)
    assert _get(client, integration).status_code == 404
    services.set_integration_active(integration, True)
    integration.project.is_active = False
    integration.project.save()
    assert _get(client, integration).status_code == 404


def test_unknown_id_is_404(client, integration):
    assert _get(client, "0" * 32).status_code == 404


def test_vendored_sdk_is_served_for_any_page_with_its_integrity(client, integration):
    body = _get(client, integration).content.decode()
    integrity = json.loads(re.search(r"var sdk = (\{.*?\});", body).group(1))["integrity"]
    response = client.get(f"/js/sdk/{loader.SDK_FILE}", HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    content = response.content
    digest = base64.b64encode(hashlib.sha384(content).digest()).decode()
    assert integrity == f"sha384-{digest}"
    assert content.startswith(b"/*! @sentry/browser 11.12.0")
    assert client.get("/js/sdk/other.js").status_code == 404


def test_api_shows_the_loader(api, integration):
    url = f"/api/projects/{integration.project.pk}/sentry/{integration.pk}"
    body = api.get(url).json()
    assert body["loaderId"] == integration.loader_id
    assert body["loaderOrigins"] == []
