"""GET /api/integrations/sentry/<slug>: what applications call at start-up."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.keys.services import issue_api_key, roll_api_key
from projects.models import ApiKey

pytestmark = pytest.mark.django_db
URL = "/api/integrations/sentry/{}"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


@pytest.fixture
def shop(make_project, make_integration):
    project = make_project("Shop", environment="production")
    make_integration(
        project=project, environment="production", dsn="https://abc@o1.ingest.sentry.io/2"
    )
    make_integration(
        project=project,
        environment="development",
        dsn="https://dev@o1.ingest.sentry.io/3",
        traces_sample_rate=1.0,
    )
    return project


@pytest.fixture
def key(user, shop):
    return issue_api_key(owner=user, name="shop", project=shop).plaintext


def get(client, slug="shop", key=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    extra = {name: value for name, value in params.items() if name.startswith("HTTP_")}
    query = {name: value for name, value in params.items() if not name.startswith("HTTP_")}
    return client.get(URL.format(slug), query, **headers, **extra)


def test_body_is_exactly_the_documented_shape(client, key):
    response = get(client, key=key, environment="production")
    assert response.status_code == 200
    assert response.json() == {
        "dsn": "https://abc@o1.ingest.sentry.io/2",
        "environment": "production",
        "org": "acme",
        "project": "checkout",
        "config": {
            "tracesSampleRate": 0.1,
            "replaysSessionSampleRate": 0.1,
            "replaysOnErrorSampleRate": 1.0,
        },
    }
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"]


def test_environment_omitted_means_the_projects_default(client, key):
    assert get(client, key=key).json()["environment"] == "production"


def test_other_environment_has_its_own_values(client, key):
    body = get(client, key=key, environment="development").json()
    assert body["dsn"] == "https://dev@o1.ingest.sentry.io/3"
    assert body["config"]["tracesSampleRate"] == 1.0


def test_etag_and_if_none_match(client, key):
    first = get(client, key=key)
    etag = first["ETag"]
    again = get(client, key=key, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert get(client, key=key, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_etag_changes_when_the_config_changes(client, key, shop):
    etag = get(client, key=key)["ETag"]
    shop.sentry_integrations.filter(environment="production").update(traces_sample_rate=0.5)
    response = get(client, key=key, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "missing_api_key"),
        ("Token abc", "malformed_authorization"),
        ("Bearer", "malformed_authorization"),
        ("Bearer smk_nope_nope", "invalid_api_key"),
    ],
)
def test_authentication_errors_are_401_with_www_authenticate(client, shop, header, code):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(URL.format("shop"), **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert set(body) == {"detail", "code"}


def test_malformed_authorization_says_the_expected_format(client, shop):
    body = client.get(URL.format("shop"), HTTP_AUTHORIZATION="Basic abc").json()
    assert "Bearer <api key>" in body["detail"]


def test_revoked_key_stops_on_the_very_next_request(client, user, shop):
    issued = issue_api_key(owner=user, name="app", project=shop)
    assert get(client, key=issued.plaintext).status_code == 200
    ApiKey.objects.filter(id=issued.api_key.id).update(revoked_at=timezone.now())
    response = get(client, key=issued.plaintext)
    assert response.status_code == 401
    assert response.json()["code"] == "revoked_api_key"


def test_expired_key_is_401(client, user, shop):
    issued = issue_api_key(owner=user, name="app", expires_at=timezone.now() + timedelta(hours=1))
    ApiKey.objects.filter(id=issued.api_key.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = get(client, key=issued.plaintext)
    assert response.status_code == 401
    assert response.json()["code"] == "expired_api_key"


def test_rolled_key_works_within_the_grace_period_then_expires(client, user, shop):
    old = issue_api_key(owner=user, name="app")
    new = roll_api_key(old.api_key, grace=timedelta(hours=1))
    assert get(client, key=old.plaintext).status_code == 200
    assert get(client, key=new.plaintext).status_code == 200
    ApiKey.objects.filter(id=old.api_key.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert get(client, key=old.plaintext).json()["code"] == "expired_api_key"
    assert get(client, key=new.plaintext).status_code == 200


def test_unknown_slug_and_someone_elses_project_look_the_same(
    client, key, make_project, other_user
):
    make_project("Theirs", owner=other_user)
    unknown = get(client, slug="nope", key=key)
    theirs = get(client, slug="theirs", key=key)
    assert unknown.status_code == theirs.status_code == 404
    assert unknown.json()["code"] == theirs.json()["code"] == "project_not_found"
    assert unknown.json()["detail"].replace("nope", "X") == theirs.json()["detail"].replace(
        "theirs", "X"
    )


def test_key_restricted_to_another_project_sees_not_found(client, user, shop, make_project):
    other = make_project("Blog")
    blog_key = issue_api_key(owner=user, name="blog", project=other).plaintext
    response = get(client, key=blog_key)
    assert response.status_code == 404
    assert response.json()["code"] == "project_not_found"


def test_key_restricted_to_another_environment(client, user, shop):
    dev_key = issue_api_key(
        owner=user, name="dev", project=shop, environment="development"
    ).plaintext
    assert get(client, key=dev_key, environment="development").status_code == 200
    response = get(client, key=dev_key, environment="production")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_key_scope"
    assert "restricted to environment 'development'" in response.json()["detail"]
    # No environment named: the project's default (production) is just as refused.
    assert get(client, key=dev_key).status_code == 403


def test_inactive_project_is_project_inactive(client, key, shop):
    shop.is_active = False
    shop.save()
    response = get(client, key=key)
    assert response.status_code == 404
    assert response.json()["code"] == "project_inactive"


def test_missing_integration_names_the_environment_and_the_active_ones(client, key):
    response = get(client, key=key, environment="staging")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "no active Sentry integration for environment 'staging' — "
        "active environments: development, production",
        "code": "integration_not_found",
    }


def test_inactive_integration_is_not_served(client, key, shop):
    shop.sentry_integrations.filter(environment="development").update(is_active=False)
    response = get(client, key=key, environment="development")
    assert response.json()["code"] == "integration_not_found"
    assert "active environments: production" in response.json()["detail"]


@pytest.mark.parametrize("environment", ["Prod", "prod env", "x" * 65, "", "../etc"])
def test_invalid_environment_is_400(client, key, environment):
    response = get(client, key=key, environment=environment)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_environment"


def test_throttled_per_key_with_retry_after(client, key, user, shop, settings):
    settings.CONFIG_ENDPOINT_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert get(client, key=key).status_code == 200
    response = get(client, key=key)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 61
    other_key = issue_api_key(owner=user, name="other", project=shop).plaintext
    assert get(client, key=other_key).status_code == 200


def test_at_most_two_queries_and_no_write_on_most_requests(client, key):
    get(client, key=key)  # the first request of the minute records last_used_at
    with CaptureQueriesContext(connection) as queries:
        response = get(client, key=key)
    assert response.status_code == 200
    assert len(queries) <= 2, [q["sql"] for q in queries]
    assert not any(q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")) for q in queries)


def test_error_paths_also_stay_within_two_queries(client, key):
    get(client, key=key)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, key=key, environment="staging")
    assert response.status_code == 404
    assert len(queries) <= 2


def test_last_used_at_is_written_at_most_once_a_minute(client, key):
    get(client, key=key)
    first = ApiKey.objects.get().last_used_at
    assert first is not None
    get(client, key=key)
    assert ApiKey.objects.get().last_used_at == first


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_are_405_json(client, key, method):
    response = getattr(client, method)(URL.format("shop"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
