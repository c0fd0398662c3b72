"""GET /api/integrations/sentry/<slug>/ci: sentry-cli's credentials, for ci keys only."""

import logging

import pytest
import sentry_sdk
from django.utils import timezone
from rest_framework.test import APIClient

from integrations import services
from integrations.models import SentryIntegration
from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
from tests.fakes.sentry_server import TOKEN

from .conftest import KEY_B

pytestmark = pytest.mark.django_db
SENTRY_URL = "https://de.sentry.io"


@pytest.fixture
def shop(make_project, make_integration):
    project = make_project("Shop", environment="production")
    for environment in ("production", "staging"):
        make_integration(
            project,
            environment=environment,
            org="acme",
            sentry_project=f"shop-{environment}",
            api_base_url=SENTRY_URL,
            auth_token=TOKEN,
        )
    return project


def _client(plaintext=None, **headers):
    client = APIClient()
    if plaintext:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}", **headers)
    return client


def _ci_key(user, project, environment=""):
    return issue_api_key(
        owner=user, name="build", project=project, environment=environment, access=ApiKey.CI
    )


def _url(project, **query):
    return f"/api/integrations/sentry/{project.slug}/ci", query


def _get(client, project, **query):
    url, params = _url(project, **query)
    return client.get(url, params)


def _error(response, status, code, *words):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == code
    for word in words:
        assert word in body["detail"]
    return body


# --- The two forms ----------------------------------------------------------------------------


def test_json_form_gives_what_sentry_cli_reads(user, shop):
    issued = _ci_key(user, shop)
    response = _get(_client(issued.plaintext), shop, environment="staging")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "SENTRY_AUTH_TOKEN": TOKEN,
        "SENTRY_ORG": "acme",
        "SENTRY_PROJECT": "shop-staging",
        "SENTRY_URL": SENTRY_URL,
    }


@pytest.mark.parametrize("ask", [{"HTTP_ACCEPT": "text/plain"}, {"format": "env"}])
def test_dotenv_form_by_accept_header_or_format(user, shop, ask):
    issued = _ci_key(user, shop)
    query = {key: value for key, value in ask.items() if key == "format"}
    headers = {key: value for key, value in ask.items() if key != "format"}
    response = _client(issued.plaintext, **headers).get(
        f"/api/integrations/sentry/{shop.slug}/ci", query
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        f"SENTRY_AUTH_TOKEN={TOKEN}\n"
        "SENTRY_ORG=acme\n"
        "SENTRY_PROJECT=shop-production\n"
        f"SENTRY_URL={SENTRY_URL}\n"
    )


def test_never_cached_and_use_recorded(user, shop):
    issued = _ci_key(user, shop)
    for query in ({}, {"format": "env"}):
        response = _get(_client(issued.plaintext), shop, **query)
        assert response["Cache-Control"] == "no-store"
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at is not None
    assert (timezone.now() - issued.api_key.last_used_at).total_seconds() < 60


def test_dotenv_quotes_a_value_a_shell_would_split():
    from integrations.ci import dotenv

    assert dotenv({"A": "plain-value_1.2", "B": "it's two words"}) == (
        "A=plain-value_1.2\nB='it'\\''s two words'\n"
    )


def test_no_environment_means_the_projects_default(user, shop):
    issued = _ci_key(user, shop)
    assert _get(_client(issued.plaintext), shop).json()["SENTRY_PROJECT"] == "shop-production"


# --- Who may call it --------------------------------------------------------------------------


def test_ci_key_restricted_to_an_environment_gets_only_that_one(user, shop):
    issued = _ci_key(user, shop, environment="staging")
    client = _client(issued.plaintext)
    assert _get(client, shop, environment="staging").json()["SENTRY_PROJECT"] == "shop-staging"
    _error(
        _get(client, shop, environment="production"),
        403,
        "insufficient_key_scope",
        "'staging'",
        "'production'",
    )
    _error(_get(client, shop), 403, "insufficient_key_scope")  # the default: production


@pytest.mark.parametrize("level", [ApiKey.CONFIG, ApiKey.READ, ApiKey.WRITE])
@pytest.mark.parametrize("restricted", [False, True])
def test_config_read_and_write_keys_are_refused(user, shop, level, restricted):
    project = shop if restricted else None
    issued = issue_api_key(owner=user, name=level, project=project, access=level)
    body = _error(
        _get(_client(issued.plaintext), shop), 403, "insufficient_key_scope", f"'{level}'", "'ci'"
    )
    assert TOKEN not in body["detail"]


def test_ci_key_of_another_project_sees_nothing(user, shop, make_project):
    other = make_project("Blog")
    issued = _ci_key(user, other)
    _error(_get(_client(issued.plaintext), shop), 404, "not_found")


def test_ci_key_of_another_user_sees_nothing(other_user, shop, make_project):
    theirs = make_project("Theirs", owner=other_user)
    issued = _ci_key(other_user, theirs)
    _error(_get(_client(issued.plaintext), shop), 404, "not_found")


def test_401s_like_the_config_endpoint(user, shop):
    cases = {
        "missing_api_key": _client(),
        "malformed_authorization": _client(HTTP_AUTHORIZATION="Token abc"),
        "invalid_api_key": _client("smk_nope000000_" + "x" * 43),
    }
    cases["malformed_authorization"].credentials(HTTP_AUTHORIZATION="Token abc")
    revoked = _ci_key(user, shop)
    ApiKey.objects.filter(pk=revoked.api_key.pk).update(revoked_at=timezone.now())
    cases["revoked_api_key"] = _client(revoked.plaintext)
    for code, client in cases.items():
        response = _get(client, shop)
        _error(response, 401, code)
        assert response["WWW-Authenticate"] == "Bearer"
        config = client.get(f"/api/integrations/sentry/{shop.slug}")
        assert (config.status_code, config.json()["code"]) == (401, code)


def test_a_signed_in_browser_is_not_a_ci_job(api, shop):
    _error(_get(api, shop), 401, "missing_api_key")


# --- What can be missing ----------------------------------------------------------------------


def test_no_auth_token_says_how_to_add_one(user, shop):
    integration = shop.sentry_integrations.get(environment="production")
    services.update_integration(integration, auth_token=None)
    issued = _ci_key(user, shop)
    _error(
        _get(_client(issued.plaintext), shop, format="env"),
        404,
        "no_auth_token",
        "'production'",
        "Add one",
        "Edit the integration",
    )


def test_undecryptable_token_is_a_clear_409(user, shop, settings):
    issued = _ci_key(user, shop)
    settings.ENCRYPTION_KEY = KEY_B  # the stored token was encrypted with KEY_A
    body = _error(
        _get(_client(issued.plaintext), shop, HTTP_ACCEPT="text/plain"),
        409,
        "auth_token_undecryptable",
        "ENCRYPTION_KEY",
    )
    assert "Paste the token again" in body["detail"]


def test_unknown_or_inactive_environment_names_it(user, shop):
    issued = _ci_key(user, shop)
    client = _client(issued.plaintext)
    _error(
        _get(client, shop, environment="qa"),
        404,
        "integration_not_found",
        "'qa'",
        "production, staging",
    )
    SentryIntegration.objects.filter(environment="staging").update(is_active=False)
    _error(_get(client, shop, environment="staging"), 404, "integration_not_found", "'staging'")


def test_invalid_environment_and_inactive_project(user, shop):
    issued = _ci_key(user, shop)
    client = _client(issued.plaintext)
    _error(_get(client, shop, environment="Prod uction"), 400, "invalid_environment")
    shop.is_active = False
    shop.save()
    _error(_get(client, shop), 404, "project_inactive")


def test_only_get(user, shop):
    issued = _ci_key(user, shop)
    url, _query = _url(shop)
    _error(_client(issued.plaintext).post(url), 405, "method_not_allowed")


# --- Nothing in logs --------------------------------------------------------------------------


def test_the_token_reaches_no_log_and_no_self_monitoring(user, shop, caplog, sentry_on, wsgi):
    """Real WSGI requests, as gunicorn makes them, with the SDK tracing every one of them."""
    issued = _ci_key(user, shop)
    caplog.set_level(logging.DEBUG)
    url = f"/api/integrations/sentry/{shop.slug}/ci"
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    answers = [
        wsgi("GET", url, query=query, headers=headers)
        for query in ("format=env", "", "environment=qa")
    ]
    assert [status for status, _headers, _body in answers] == [200, 200, 404]
    assert TOKEN in answers[0][2].decode()
    sentry_sdk.flush(timeout=5)
    assert len(sentry_on.transactions()) == 3, "self-monitoring traced the requests"
    secret = issued.plaintext.split("_", 2)[2]  # the secret may itself hold "_"
    for text in (caplog.text, sentry_on.raw()):
        assert TOKEN not in text
        assert secret not in text


def test_fetching_credentials_is_audited_without_the_token(user, shop):
    import json

    from projects.audit.models import AuditEntry

    key = _ci_key(user, shop)
    assert _get(_client(key.plaintext), shop).status_code == 200
    entry = AuditEntry.objects.get(action="ci.credentials_fetched")
    assert entry.actor_key == key.api_key and entry.project == shop
    assert TOKEN not in json.dumps(list(AuditEntry.objects.values()), default=str)
