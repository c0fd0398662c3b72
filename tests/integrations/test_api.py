import pytest

from integrations.models import SentryIntegration

from .conftest import GOOD_DSN

pytestmark = pytest.mark.django_db
BODY = {"environment": "production", "dsn": GOOD_DSN, "org": "acme", "project": "checkout"}
FIELDS = {
    "id",
    "environment",
    "dsn",
    "org",
    "project",
    "apiBaseUrl",
    "tracesSampleRate",
    "replaysSessionSampleRate",
    "replaysOnErrorSampleRate",
    "isActive",
    "hasAuthToken",
    "authTokenStatus",
    "hasWebhookSecret",
    "autoExplain",
    "loaderId",
    "loaderOrigins",
    "createdAt",
    "updatedAt",
}


def url(project, integration=None):
    base = f"/api/projects/{project.id}/sentry"
    return f"{base}/{integration.id}" if integration else base


def test_create_returns_camel_case_fields_with_defaults(api, make_project):
    project = make_project()
    response = api.post(url(project), {**BODY, "authToken": "sntrys_x"}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) == FIELDS
    assert (data["dsn"], data["project"], data["apiBaseUrl"]) == (
        GOOD_DSN,
        "checkout",
        "https://sentry.io",
    )
    assert (data["tracesSampleRate"], data["replaysOnErrorSampleRate"]) == (0.1, 1.0)
    assert (data["hasAuthToken"], data["authTokenStatus"]) == (True, "set")
    assert "authToken" not in data and "sntrys_x" not in response.content.decode()


def test_list_and_get(api, make_integration):
    integration = make_integration()
    listed = api.get(url(integration.project)).json()
    assert [item["id"] for item in listed["results"]] == [str(integration.id)]
    one = api.get(url(integration.project, integration)).json()
    assert (one["environment"], one["authTokenStatus"]) == ("production", "not_set")


def test_patch_changes_fields_and_null_clears_the_token(api, make_integration):
    from integrations.services import read_auth_token

    integration = make_integration(auth_token="old")
    response = api.patch(
        url(integration.project, integration),
        {"tracesSampleRate": 0.5, "authToken": "new"},
        format="json",
    )
    assert response.json()["tracesSampleRate"] == 0.5
    integration.refresh_from_db()
    assert read_auth_token(integration) == "new"
    cleared = api.patch(url(integration.project, integration), {"authToken": None}, format="json")
    assert cleared.json()["hasAuthToken"] is False
    integration.refresh_from_db()
    assert integration.auth_token == ""


def test_patch_omitting_the_token_keeps_it(api, make_integration):
    integration = make_integration(auth_token="keep")
    api.patch(url(integration.project, integration), {"org": "other"}, format="json")
    integration.refresh_from_db()
    assert integration.org == "other" and integration.auth_token != ""


def test_delete(api, make_integration):
    integration = make_integration()
    assert api.delete(url(integration.project, integration)).status_code == 204
    assert not SentryIntegration.objects.exists()


def test_second_active_integration_for_an_environment_is_409(api, make_integration):
    existing = make_integration()
    response = api.post(url(existing.project), {**BODY, "org": "changed"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "integration_exists"
    assert str(existing.id) in body["detail"] and "production" in body["detail"]
    assert SentryIntegration.objects.count() == 1
    existing.refresh_from_db()
    assert existing.org == "acme"


def test_an_inactive_one_does_not_block_and_reactivating_a_twin_is_409(api, make_integration):
    old = make_integration()
    api.patch(url(old.project, old), {"isActive": False}, format="json")
    assert api.post(url(old.project), BODY, format="json").status_code == 201
    response = api.patch(url(old.project, old), {"isActive": True}, format="json")
    assert response.status_code == 409
    old.refresh_from_db()
    assert old.is_active is False


def test_invalid_values_name_the_api_fields(api, make_project):
    project = make_project()
    body = {**BODY, "project": "Not A Slug", "tracesSampleRate": 2, "apiBaseUrl": "ftp://x"}
    response = api.post(url(project), body, format="json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"project", "tracesSampleRate", "apiBaseUrl"}
    assert "0.0 to 1.0" in fields["tracesSampleRate"][0]
    assert not SentryIntegration.objects.exists()


def test_wrong_json_types_and_unknown_fields_are_400(api, make_project):
    project = make_project()
    for body in [
        {**BODY, "tracesSampleRate": "0.1"},
        {**BODY, "isActive": "yes"},
        {**BODY, "x": 1},
    ]:
        assert api.post(url(project), body, format="json").status_code == 400
    assert not SentryIntegration.objects.exists()


def test_other_users_project_or_integration_is_404(api, make_integration, make_project, other_user):
    theirs = make_integration(project=make_project("Theirs", owner=other_user))
    mine = make_project("Mine")
    assert api.get(url(theirs.project)).status_code == 404
    assert api.post(url(theirs.project), BODY, format="json").status_code == 404
    assert api.get(url(theirs.project, theirs)).status_code == 404
    assert api.patch(url(theirs.project, theirs), {"org": "x"}, format="json").status_code == 404
    assert api.delete(url(theirs.project, theirs)).status_code == 404
    # Their integration id under my project is missing too.
    assert api.get(f"/api/projects/{mine.id}/sentry/{theirs.id}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.org == "acme"


def test_undecryptable_token_is_reported_not_a_500(api, make_integration, settings):
    from .conftest import KEY_B

    integration = make_integration(auth_token="sntrys_secret")
    settings.ENCRYPTION_KEY = KEY_B
    response = api.get(url(integration.project, integration))
    assert response.status_code == 200
    assert response.json()["authTokenStatus"] == "undecryptable"
    assert response.json()["hasAuthToken"] is True
    assert integration.auth_token not in response.content.decode()
