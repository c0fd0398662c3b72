import pytest

from integrations.models import SentryIntegration
from integrations.services import read_auth_token

from .conftest import GOOD_DSN

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def form_data(integration, **extra):
    return {
        "project": str(integration.project_id),
        "environment": integration.environment,
        "org": integration.org,
        "sentry_project": integration.sentry_project,
        "api_base_url": integration.api_base_url,
        "traces_sample_rate": "0.1",
        "replays_session_sample_rate": "0.1",
        "replays_on_error_sample_rate": "1.0",
        "is_active": "on",
        **extra,
    }


def test_change_page_shows_status_never_the_token(admin_client, make_integration):
    integration = make_integration(auth_token="sntrys_admin_secret")
    page = admin_client.get(f"/admin/integrations/sentryintegration/{integration.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "sntrys_admin_secret" not in text and integration.auth_token not in text
    assert "New auth token" in text
    assert '<div class="readonly">set</div>' in text


def test_admin_replaces_and_clears_the_token(admin_client, make_integration):
    integration = make_integration()
    url = f"/admin/integrations/sentryintegration/{integration.pk}/change/"
    response = admin_client.post(url, form_data(integration, new_auth_token="fresh"))
    assert response.status_code == 302
    integration.refresh_from_db()
    assert read_auth_token(integration) == "fresh"
    admin_client.post(url, form_data(integration))  # empty: kept
    integration.refresh_from_db()
    assert read_auth_token(integration) == "fresh"
    admin_client.post(url, form_data(integration, clear_auth_token="on"))
    integration.refresh_from_db()
    assert integration.auth_token == ""


def test_admin_add_with_token_and_the_unique_rule(admin_client, make_project):
    project = make_project()
    data = {
        "project": str(project.pk),
        "environment": "production",
        "new_dsn": GOOD_DSN,
        "org": "acme",
        "sentry_project": "checkout",
        "api_base_url": "https://sentry.io",
        "traces_sample_rate": "0.1",
        "replays_session_sample_rate": "0.1",
        "replays_on_error_sample_rate": "1.0",
        "is_active": "on",
        "new_auth_token": "tok",
    }
    assert admin_client.post("/admin/integrations/sentryintegration/add/", data).status_code == 302
    assert read_auth_token(SentryIntegration.objects.get()) == "tok"
    again = admin_client.post("/admin/integrations/sentryintegration/add/", data)
    assert again.status_code == 200
    assert "already has an active integration" in again.content.decode()
    assert SentryIntegration.objects.count() == 1


def test_integrations_inline_on_the_project(admin_client, make_integration):
    integration = make_integration(auth_token="sntrys_inline_secret")
    page = admin_client.get(f"/admin/projects/project/{integration.project_id}/change/")
    text = page.content.decode()
    assert "Sentry integrations" in text
    assert "sntrys_inline_secret" not in text
    assert "New auth token" in text


def test_the_change_page_masks_the_dsn_and_has_no_input_holding_it(admin_client, make_integration):
    integration = make_integration()
    page = admin_client.get(f"/admin/integrations/sentryintegration/{integration.pk}/change/")
    text = page.content.decode()
    assert "abc123def456" not in text  # the DSN's public key, anywhere in the page
    assert integration.masked_dsn in text
    assert 'name="new_dsn"' in text and 'name="dsn"' not in text


def test_a_new_dsn_replaces_the_stored_one_and_an_empty_box_keeps_it(
    admin_client, make_integration
):
    integration = make_integration()
    url = f"/admin/integrations/sentryintegration/{integration.pk}/change/"
    assert admin_client.post(url, form_data(integration)).status_code == 302
    integration.refresh_from_db()
    assert integration.dsn == GOOD_DSN
    new_dsn = "https://fff000@o9.ingest.sentry.io/9"
    assert admin_client.post(url, form_data(integration, new_dsn=new_dsn)).status_code == 302
    integration.refresh_from_db()
    assert integration.dsn == new_dsn


def test_a_bad_new_dsn_is_shown_next_to_its_box_and_changes_nothing(admin_client, make_integration):
    integration = make_integration()
    url = f"/admin/integrations/sentryintegration/{integration.pk}/change/"
    response = admin_client.post(
        url, form_data(integration, new_dsn="https://o1.ingest.sentry.io/2")
    )
    assert response.status_code == 200
    assert "no public key before the @" in response.content.decode()
    integration.refresh_from_db()
    assert integration.dsn == GOOD_DSN


def test_the_inline_masks_the_dsn_too(admin_client, make_integration):
    integration = make_integration()
    page = admin_client.get(f"/admin/projects/project/{integration.project_id}/change/")
    text = page.content.decode()
    assert "abc123def456" not in text
    assert integration.masked_dsn in text


def test_a_new_token_with_clear_ticked_is_an_error_not_a_removal(admin_client, make_integration):
    integration = make_integration(auth_token="kept")
    url = f"/admin/integrations/sentryintegration/{integration.pk}/change/"
    data = form_data(integration, new_auth_token="fresh", clear_auth_token="on")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "ticked “Remove”" in response.content.decode()
    integration.refresh_from_db()
    assert read_auth_token(integration) == "kept"
