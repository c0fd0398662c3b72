"""The Sentry API client against the fake Sentry server (real HTTP, Sentry's wire format)."""

import pytest

from explainer.sentry_api import USER_AGENT, SentryClient, SentryTokenMissing, parse_link_header


def test_sends_bearer_token_and_user_agent(make_client, fake_sentry):
    make_client().get_issue("4504123456")
    request = fake_sentry.requests[-1]
    assert request.headers["Authorization"] == f"Bearer {fake_sentry.token}"
    assert request.headers["User-Agent"] == USER_AGENT


def test_lists_issues_filtered_to_project_environment_and_query(make_client, fake_sentry):
    page = make_client().list_issues(environment="staging", query="is:unresolved", limit=5)
    assert len(page.results) == 5
    issue = page.results[0]
    for key in (
        "id",
        "shortId",
        "title",
        "culprit",
        "level",
        "count",
        "userCount",
        "firstSeen",
        "lastSeen",
        "permalink",
        "status",
        "metadata",
    ):
        assert key in issue
    request = fake_sentry.requests[-1]
    assert request.path == "/api/0/organizations/acme/issues/"
    assert request.args["project"] == "42"  # the numeric id resolved from the slug
    assert request.args["environment"] == "staging"
    assert request.args["query"] == "is:unresolved"
    assert request.args["limit"] == "5"
    assert request.args["sort"] == "date"


def test_follows_link_header_cursors_across_pages(make_client):
    client = make_client()
    seen, cursor = [], None
    for _ in range(10):
        page = client.list_issues(limit=12, cursor=cursor)
        seen += [issue["id"] for issue in page.results]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == 30 and len(set(seen)) == 30


def test_parses_sentry_link_header():
    header = (
        '<https://sentry.io/api/0/organizations/acme/issues/?cursor=0:0:1>; rel="previous"; '
        'results="false"; cursor="0:0:1", <https://sentry.io/api/0/organizations/acme/issues/'
        '?cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"'
    )
    links = parse_link_header(header)
    assert links["previous"]["results"] == "false"
    assert links["next"] == {
        "url": "https://sentry.io/api/0/organizations/acme/issues/?cursor=0:100:0",
        "results": "true",
        "cursor": "0:100:0",
    }


def test_last_page_has_no_next_cursor(make_client):
    assert make_client().list_issues(limit=100).next_cursor is None


def test_fetches_one_issue_and_its_latest_event(make_client):
    client = make_client()
    assert client.get_issue("4504123457")["shortId"] == "BACKEND-2"
    event = client.latest_event("4504123457")
    assert event["platform"] == "javascript"
    assert event["entries"][0]["type"] == "exception"


def test_regional_and_self_hosted_base_urls_are_used_as_given(make_client, fake_sentry):
    client = make_client(base_url=fake_sentry.base_url.rstrip("/") + "/")
    client.get_issue("4504123456")
    assert fake_sentry.requests[-1].path.startswith("/api/0/")


def test_no_token_is_a_clear_error():
    with pytest.raises(SentryTokenMissing, match="No Sentry auth token"):
        SentryClient("https://sentry.io", None, "acme", "backend")


def test_responses_are_cached_per_integration(make_client, fake_sentry):
    client = make_client(cache_seconds=60, cache_namespace="integration-1")
    client.get_issue("4504123456")
    client.get_issue("4504123456")
    assert len(fake_sentry.requests) == 1
    make_client(cache_seconds=60, cache_namespace="integration-2").get_issue("4504123456")
    assert len(fake_sentry.requests) == 2
