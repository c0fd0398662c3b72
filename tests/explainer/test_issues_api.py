"""GET /api/projects/<id>/sentry-issues[/<issueId>] against the fake Sentry server."""

import json

from tests.fakes.sentry_server import TOKEN


def test_lists_issues_with_a_next_cursor(api, integrated_project):
    response = api.get(f"/api/projects/{integrated_project.id}/sentry-issues")
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 25 and body["nextCursor"] == "0:25:0"
    first = body["results"][0]
    assert first["shortId"] == "BACKEND-1" and first["count"] == 150 and first["userCount"] == 40
    page2 = api.get(
        f"/api/projects/{integrated_project.id}/sentry-issues?cursor={body['nextCursor']}"
    ).json()
    assert len(page2["results"]) == 5 and page2["nextCursor"] is None


def test_one_issue_with_its_latest_event_normalized_and_scrubbed(api, integrated_project):
    response = api.get(f"/api/projects/{integrated_project.id}/sentry-issues/4504123457")
    body = response.json()
    assert body["shortId"] == "BACKEND-2"
    event = body["latestEvent"]
    assert event["exceptions"][0]["type"] == "TypeError"
    frames = event["exceptions"][0]["frames"]  # call order: the raise site comes last
    assert [f["function"] for f in frames] == ["commitRoot", "CartView", "renderLine"]
    assert frames[-1]["isRaiseSite"] and frames[-1]["inApp"]
    dumped = json.dumps(body)
    assert "sam@example.org" not in dumped and "eyJhbGciOiJIUzI1NiJ9" not in dumped
    assert "entries" not in event  # normalized fields only


def test_no_integration_is_404_naming_the_environment(api, integrated_project):
    response = api.get(f"/api/projects/{integrated_project.id}/sentry-issues?environment=qa")
    assert response.status_code == 404
    assert response.json()["code"] == "no_integration"
    assert "“qa”" in response.json()["detail"]


def test_sentry_errors_keep_the_error_shape(api, integrated_project, fake_sentry):
    fake_sentry.token = TOKEN + "-other"
    response = api.get(f"/api/projects/{integrated_project.id}/sentry-issues")
    assert response.status_code == 502
    assert response.json()["code"] == "sentry_token_invalid"


def test_rate_limit_is_503_with_retry_after(api, integrated_project, fake_sentry, settings):
    settings.SENTRY_API_MAX_RETRY_AFTER = 1
    fake_sentry.fail(429, times=5, headers={"Retry-After": "30"}, path_contains="/issues/")
    response = api.get(f"/api/projects/{integrated_project.id}/sentry-issues")
    assert response.status_code == 503
    assert response.json()["code"] == "sentry_rate_limited"
    assert response.headers["Retry-After"] == "31"


def test_another_users_project_is_404(api, other_user, make_project):
    project = make_project("Theirs", owner=other_user)
    assert api.get(f"/api/projects/{project.id}/sentry-issues").status_code == 404
    assert api.get(f"/api/projects/{project.id}/sentry-issues/1").status_code == 404
    assert api.post(f"/api/projects/{project.id}/events", {}, format="json").status_code == 404
