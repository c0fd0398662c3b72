"""The project and API key forms report every error of a submit at once."""

import pytest

from projects.models import ApiKey, Project

pytestmark = pytest.mark.django_db


def test_api_key_form_shows_name_environment_expiry_origins_and_project_errors_together(
    browser_client,
):
    response = browser_client.post(
        "/settings/api-keys",
        {
            "name": "",
            "environment": "Bad Env",
            "expires_at": "2001-01-01",
            "access": "config",
            "allowed_origins": "not-an-origin",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_name_error"' in page
    assert "Restricting to an environment needs a project." in page
    assert "Environment names are 1–64 characters" in page
    assert "The expiry date must be in the future." in page
    assert "is not an origin" in page
    assert not ApiKey.objects.exists()


def test_project_form_shows_missing_name_and_bad_environment_together(browser_client):
    response = browser_client.post("/projects", {"name": "", "environment": "Not Valid"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_name_error"' in page
    assert "Environment names are 1–64 characters" in page
    assert not Project.objects.exists()


def test_project_form_names_a_taken_slug_with_other_errors(browser_client, make_project):
    make_project("Shop")
    response = browser_client.post(
        "/projects", {"name": "Other", "slug": "shop", "environment": "Not Valid"}
    )
    page = response.content.decode()
    assert "The slug is already taken by another project." in page
    assert "Environment names are 1–64 characters" in page
    assert Project.objects.count() == 1
