"""ci keys: restricted to one project (optionally one environment), never for a browser —
refused clearly at creation in the services, the page and the API."""

import pytest
from django.core.exceptions import ValidationError

from projects import access
from projects.keys.services import issue_api_key, roll_api_key
from projects.models import ApiKey

pytestmark = pytest.mark.django_db
NEEDS_PROJECT = "A ci key must be restricted to one project"
NO_BROWSER = "A ci key is for CI jobs, never for browsers"


def test_service_refuses_a_ci_key_for_all_projects(user):
    with pytest.raises(ValidationError) as error:
        issue_api_key(owner=user, name="build", access=ApiKey.CI)
    assert NEEDS_PROJECT in error.value.message_dict["project"][0]
    assert ApiKey.objects.count() == 0


def test_service_refuses_a_ci_key_with_browser_origins(user, make_project):
    with pytest.raises(ValidationError) as error:
        issue_api_key(
            owner=user,
            name="build",
            project=make_project("Shop"),
            access=ApiKey.CI,
            allowed_origins=["https://shop.example.com"],
        )
    assert NO_BROWSER in error.value.message_dict["allowed_origins"][0]
    assert ApiKey.objects.count() == 0


def test_ci_key_for_a_project_and_environment_rolls_as_it_was(user, make_project):
    shop = make_project("Shop")
    issued = issue_api_key(
        owner=user, name="build", project=shop, environment="staging", access=ApiKey.CI
    )
    rolled = roll_api_key(issued.api_key).api_key
    assert (rolled.access, rolled.project, rolled.environment) == ("ci", shop, "staging")


def test_page_form_says_what_a_ci_key_needs(browser_client):
    response = browser_client.post(
        "/settings/api-keys",
        {"name": "build", "access": "ci", "allowed_origins": "https://shop.example.com"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert NEEDS_PROJECT in page
    assert NO_BROWSER in page
    assert "CI: only the CI credentials of one project" in page  # the level is offered
    assert ApiKey.objects.count() == 0


def test_page_form_creates_a_ci_key_for_a_project(browser_client, make_project):
    shop = make_project("Shop")
    response = browser_client.post(
        "/settings/api-keys",
        {"name": "build", "project": str(shop.pk), "environment": "production", "access": "ci"},
    )
    assert response.status_code in (200, 302)
    key = ApiKey.objects.get()
    assert (key.access, key.project, key.environment) == ("ci", shop, "production")


def test_api_names_the_missing_project_id(api):
    response = api.post("/api/keys", {"name": "build", "access": "ci"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert NEEDS_PROJECT in body["fields"]["projectId"][0]
    assert ApiKey.objects.count() == 0


def test_api_creates_a_ci_key(api, make_project):
    shop = make_project("Shop")
    response = api.post(
        "/api/keys", {"name": "build", "access": "ci", "projectId": str(shop.pk)}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["access"] == "ci"


@pytest.mark.parametrize(
    "action", [a for a in access.Action if a is not access.Action.CI_CREDENTIALS]
)
def test_policy_lets_a_ci_key_do_nothing_but_fetch_ci_credentials(action):
    ci = access.Restriction(level=ApiKey.CI, project_id="p")
    refusal = access.key_refusal(ci, action)
    assert refusal is not None
    assert "'ci' access level: it may only fetch the CI credentials" in refusal
    assert access.key_refusal(ci, access.Action.CI_CREDENTIALS) is None


@pytest.mark.parametrize("level", access.LEVELS)
def test_policy_keeps_ci_credentials_from_every_other_level(level):
    refusal = access.key_refusal(access.Restriction(level=level), access.Action.CI_CREDENTIALS)
    assert f"'{level}' access level" in refusal
    assert "'ci' level" in refusal


def test_policy_refuses_ci_credentials_to_users_and_unrestricted_ci_keys(user):
    with pytest.raises(access.AccessRefused):
        access.require(access.Principal(user=user), access.Action.CI_CREDENTIALS)
    unrestricted = access.Restriction(level=ApiKey.CI)
    assert "not restricted to a project" in access.key_refusal(
        unrestricted, access.Action.CI_CREDENTIALS
    )
