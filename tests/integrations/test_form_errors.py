"""The integration form reports every error of a submit at once, and never guesses."""

import pytest

from integrations.models import SentryIntegration
from integrations.services import read_auth_token

from .conftest import GOOD_DSN
from .test_pages import FORM, HTMX

pytestmark = pytest.mark.django_db


def test_missing_fields_and_rule_errors_come_together(browser_client, make_project):
    project = make_project()
    data = {**FORM, "org": "", "dsn": "https://o1.ingest.sentry.io/2", "environment": "Not Valid"}
    response = browser_client.post(f"/projects/{project.slug}/integrations/new", data, **HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_org_error"' in page  # the form's own: required
    assert "no public key before the @" in page  # the DSN rule
    assert "Environment names are 1–64 characters" in page  # the environment rule
    assert not SentryIntegration.objects.exists()


def test_a_new_token_with_remove_ticked_is_an_error_and_keeps_the_token(
    browser_client, make_integration
):
    integration = make_integration(auth_token="kept")
    url = f"/projects/{integration.project.slug}/integrations/{integration.id}/edit"
    data = {**FORM, "dsn": "", "org": "other", "auth_token": "new", "clear_auth_token": "on"}
    response = browser_client.post(url, data, **HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_clear_auth_token_error"' in page and "ticked “Remove”" in page
    assert "saved" not in page
    integration.refresh_from_db()
    assert read_auth_token(integration) == "kept"
    assert integration.org == "acme"


def test_the_duplicate_environment_error_names_it_without_an_id(browser_client, make_integration):
    existing = make_integration(environment="staging")
    data = {**FORM, "environment": "staging"}
    response = browser_client.post(
        f"/projects/{existing.project.slug}/integrations/new", data, **HTMX
    )
    error = response.content.decode().split('id="id_environment_error"')[1].split("</small>")[0]
    assert "already has an active integration for “staging”" in error
    assert str(existing.id) not in error
    assert SentryIntegration.objects.get().dsn == GOOD_DSN
