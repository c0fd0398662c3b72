"""Sentry's failures become messages a person can act on; retries are bounded."""

import pytest

from explainer import sentry_api as api


def test_401_says_the_token_is_invalid_or_expired(make_client, fake_sentry):
    fake_sentry.token = "sntryu_another"
    with pytest.raises(api.SentryAuthFailed, match="invalid, revoked or expired"):
        make_client().get_issue("4504123456")


def test_403_names_the_missing_scope(make_client, fake_sentry):
    fake_sentry.scopes = {"project:read", "org:read"}
    with pytest.raises(api.SentryForbidden, match="`event:read`"):
        make_client().latest_event("4504123456")


def test_403_on_the_project_names_project_read(make_client, fake_sentry):
    fake_sentry.scopes = {"event:read"}
    with pytest.raises(api.SentryForbidden, match="`project:read`"):
        make_client().list_issues()


def test_404_names_a_wrong_project_slug(make_client):
    with pytest.raises(api.SentryNotFound, match="project “frontend” was not found") as error:
        make_client(project="frontend").list_issues()
    assert "organization “acme”" in error.value.message


def test_404_names_a_wrong_organization_slug(make_client):
    with pytest.raises(api.SentryNotFound, match="organization “acne” was not found"):
        make_client(org="acne").list_issues()


def test_404_for_an_unknown_issue(make_client):
    with pytest.raises(api.SentryNotFound, match="no such issue"):
        make_client().get_issue("99")


def test_an_issue_of_another_sentry_project_is_not_found(make_client, fake_sentry):
    fake_sentry.issues[0]["project"] = {"id": "7", "slug": "other"}
    with pytest.raises(api.SentryNotFound, match="belongs to Sentry project “other”"):
        make_client().get_issue("4504123456")


def test_5xx_is_retried_with_backoff_then_succeeds(make_client, fake_sentry, sleeps):
    fake_sentry.fail(500, times=2, path_contains="/issues/")
    assert make_client().get_issue("4504123456")["id"] == "4504123456"
    assert sleeps == [0.01, 0.02]


def test_5xx_retries_are_bounded(make_client, fake_sentry, sleeps):
    fake_sentry.fail(502, times=10)
    with pytest.raises(api.SentryUnavailable, match="HTTP 502"):
        make_client().get_issue("4504123456")
    assert len(fake_sentry.requests) == 3 and len(sleeps) == 2


def test_429_honours_retry_after(make_client, fake_sentry, sleeps):
    fake_sentry.fail(429, headers={"Retry-After": "2"})
    assert make_client().get_issue("4504123456")["id"] == "4504123456"
    assert sleeps == [2.0]


def test_429_honours_x_sentry_rate_limit_reset(make_client, fake_sentry, sleeps):
    import time

    fake_sentry.fail(429, headers={"X-Sentry-Rate-Limit-Reset": str(int(time.time()) + 3)})
    make_client().get_issue("4504123456")
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 3


def test_429_with_a_long_wait_gives_up_with_a_message(make_client, fake_sentry, sleeps):
    fake_sentry.fail(429, headers={"Retry-After": "600"})
    with pytest.raises(api.SentryRateLimited, match="Sentry is rate-limiting this token"):
        make_client().get_issue("4504123456")
    assert sleeps == []


def test_a_slow_reply_is_a_timeout(make_client, fake_sentry):
    fake_sentry.delay = 0.5
    with pytest.raises(api.SentryTimeout, match="did not answer within 0.2 s"):
        make_client(read_timeout=0.2).get_issue("4504123456")


def test_connection_errors_are_retried_then_reported(sleeps):
    client = api.SentryClient(
        "http://127.0.0.1:9",
        "sntryu_x",
        "acme",
        "backend",
        backoff=0.01,
        cache_seconds=0,
        sleep=sleeps.append,
    )
    with pytest.raises(api.SentryUnavailable, match="Could not connect to Sentry"):
        client.get_issue("1")
    assert len(sleeps) == 2


def test_a_non_json_answer_is_reported(make_client, fake_sentry, httpserver):
    httpserver.clear()
    httpserver.expect_request("/api/0/organizations/acme/issues/1/").respond_with_data("<html>")
    with pytest.raises(api.SentryUnavailable, match="not JSON"):
        make_client().get_issue("1")


def test_calls_are_traced_for_self_monitoring(make_client, monkeypatch):
    crumbs = []
    monkeypatch.setattr(api.sentry_sdk, "add_breadcrumb", lambda **kw: crumbs.append(kw))
    make_client().get_issue("4504123456")
    assert crumbs[-1]["category"] == "sentry_api"
    assert crumbs[-1]["data"]["status"] == 200
    assert "Bearer" not in str(crumbs)
