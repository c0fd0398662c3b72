import pytest

from integrations.models import DsnRevealEvent, SentryIntegration

from .conftest import GOOD_DSN

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
FORM = {
    "environment": "staging",
    "dsn": GOOD_DSN,
    "org": "acme",
    "sentry_project": "checkout",
    "api_base_url": "https://sentry.io",
    "traces_sample_rate": "0.2",
    "replays_session_sample_rate": "0.1",
    "replays_on_error_sample_rate": "1.0",
    "auth_token": "",
}


def test_project_page_lists_integrations_with_the_dsn_masked(browser_client, make_integration):
    integration = make_integration(auth_token="sntrys_secret")
    page = browser_client.get(f"/projects/{integration.project.slug}").content.decode()
    assert 'id="integration-table"' in page
    assert "https://••••••••@o1.ingest.sentry.io/2" in page
    assert "abc123def456" not in page
    assert "sntrys_secret" not in page
    assert "production" in page and "acme" in page and "checkout" in page
    assert 'id="project-card"' in page  # still the project page


def test_project_list_counts_integrations(browser_client, make_integration, make_project):
    project = make_project("Counted")
    make_integration(project=project, environment="production")
    make_integration(project=project, environment="staging")
    page = browser_client.get("/projects").content.decode()
    assert "<td>2</td>" in page


def test_add_form_opens_inline(browser_client, make_project):
    project = make_project()
    response = browser_client.get(f"/projects/{project.slug}/integrations/new", **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'name="dsn"' in page


def test_add_with_htmx_returns_the_section(browser_client, make_project):
    project = make_project()
    response = browser_client.post(f"/projects/{project.slug}/integrations/new", FORM, **HTMX)
    assert response.status_code == 200
    integration = SentryIntegration.objects.get()
    assert (integration.environment, integration.traces_sample_rate) == ("staging", 0.2)
    page = response.content.decode()
    assert "Integration “staging” added." in page
    assert GOOD_DSN not in page


def test_add_without_javascript_redirects(browser_client, make_project):
    project = make_project()
    response = browser_client.post(f"/projects/{project.slug}/integrations/new", FORM)
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.slug}"


def test_invalid_form_is_422_with_errors_next_to_fields_and_values_kept(
    browser_client, make_project
):
    project = make_project()
    data = {**FORM, "dsn": "https://o1.ingest.sentry.io/2", "org": "Bad Org"}
    response = browser_client.post(f"/projects/{project.slug}/integrations/new", data, **HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_dsn_error"' in page and "no public key before the @" in page
    assert 'id="id_org_error"' in page
    assert 'value="Bad Org"' in page
    assert not SentryIntegration.objects.exists()


def test_second_active_environment_is_refused_on_the_environment_field(
    browser_client, make_integration
):
    existing = make_integration(environment="staging")
    slug = existing.project.slug
    response = browser_client.post(f"/projects/{slug}/integrations/new", FORM, **HTMX)
    assert response.status_code == 422
    assert 'id="id_environment_error"' in response.content.decode()
    assert SentryIntegration.objects.count() == 1


def test_edit_form_does_not_contain_the_dsn_or_token(browser_client, make_integration):
    integration = make_integration(auth_token="sntrys_secret")
    url = f"/projects/{integration.project.slug}/integrations/{integration.id}/edit"
    page = browser_client.get(url, **HTMX).content.decode()
    assert "abc123def456" not in page and "sntrys_secret" not in page
    assert "Set. Leave empty to keep it" in page
    assert 'name="clear_auth_token"' in page


def test_edit_keeps_dsn_and_token_when_left_empty(browser_client, make_integration):
    from integrations.services import read_auth_token

    integration = make_integration(auth_token="sntrys_secret")
    url = f"/projects/{integration.project.slug}/integrations/{integration.id}/edit"
    data = {**FORM, "environment": "production", "dsn": "", "org": "other"}
    assert browser_client.post(url, data, **HTMX).status_code == 200
    integration.refresh_from_db()
    assert (integration.dsn, integration.org) == (GOOD_DSN, "other")
    assert read_auth_token(integration) == "sntrys_secret"


def test_edit_replaces_or_clears_the_token(browser_client, make_integration):
    from integrations.services import read_auth_token

    integration = make_integration(auth_token="old")
    url = f"/projects/{integration.project.slug}/integrations/{integration.id}/edit"
    base = {**FORM, "environment": "production", "dsn": ""}
    browser_client.post(url, {**base, "auth_token": "new"}, **HTMX)
    integration.refresh_from_db()
    assert read_auth_token(integration) == "new"
    browser_client.post(url, {**base, "clear_auth_token": "on"}, **HTMX)
    integration.refresh_from_db()
    assert read_auth_token(integration) is None


def test_deactivate_reactivate_and_delete(browser_client, make_integration):
    integration = make_integration()
    base = f"/projects/{integration.project.slug}/integrations/{integration.id}"
    confirm = browser_client.get(f"{base}/active", **HTMX).content.decode()
    assert "Applications asking for <strong>production</strong>" in confirm
    assert "will get <strong>404</strong>" in confirm
    integration.refresh_from_db()
    assert integration.is_active
    browser_client.post(f"{base}/active", {"active": "false"}, **HTMX)
    integration.refresh_from_db()
    assert not integration.is_active
    browser_client.post(f"{base}/active", {"active": "true"}, **HTMX)
    integration.refresh_from_db()
    assert integration.is_active
    confirm = browser_client.get(f"{base}/delete", **HTMX).content.decode()
    assert "This cannot be undone." in confirm
    assert SentryIntegration.objects.exists()
    wrong = browser_client.post(f"{base}/delete", {"confirm": "staging"}, **HTMX)
    assert wrong.status_code == 422
    assert "type the environment exactly" in wrong.content.decode()
    assert SentryIntegration.objects.exists()
    browser_client.post(f"{base}/delete", {"confirm": "production"}, **HTMX)
    assert not SentryIntegration.objects.exists()


def test_reactivating_when_another_is_active_says_why(browser_client, make_integration):
    old = make_integration()
    from integrations.services import set_integration_active

    set_integration_active(old, False)
    make_integration(project=old.project)
    base = f"/projects/{old.project.slug}/integrations/{old.id}"
    page = browser_client.post(f"{base}/active", {"active": "true"}, **HTMX).content.decode()
    assert "already has an active integration" in page
    old.refresh_from_db()
    assert not old.is_active


def test_show_reveals_hide_masks_and_reveals_are_recorded(browser_client, make_integration, user):
    integration = make_integration()
    base = f"/projects/{integration.project.slug}/integrations/{integration.id}/dsn"
    shown = browser_client.post(f"{base}/reveal", **HTMX).content.decode()
    assert GOOD_DSN in shown and "Hide" in shown
    hidden = browser_client.get(f"{base}/hide", **HTMX).content.decode()
    assert GOOD_DSN not in hidden and "••••••••" in hidden
    event = DsnRevealEvent.objects.get()
    assert (event.user, event.integration, event.action) == (user, integration, "reveal")


def test_copy_returns_plain_text_and_is_recorded(browser_client, make_integration):
    integration = make_integration()
    url = f"/projects/{integration.project.slug}/integrations/{integration.id}/dsn/copy"
    response = browser_client.post(url)
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == GOOD_DSN
    assert DsnRevealEvent.objects.get().action == "copy"
    assert browser_client.get(url).status_code == 405


def test_other_users_integrations_are_404(client, make_integration, other_user):
    integration = make_integration()
    client.force_login(other_user)
    base = f"/projects/{integration.project.slug}/integrations/{integration.id}"
    for method, url in [
        ("get", f"/projects/{integration.project.slug}"),
        ("get", f"{base}/edit"),
        ("post", f"{base}/dsn/reveal"),
        ("post", f"{base}/dsn/copy"),
        ("get", f"{base}/dsn/hide"),
        ("post", f"{base}/delete"),
        ("post", f"{base}/active"),
    ]:
        assert getattr(client, method)(url).status_code == 404, url
    assert not DsnRevealEvent.objects.exists()
    assert SentryIntegration.objects.filter(is_active=True).count() == 1


def test_undecryptable_token_is_named_on_the_page(browser_client, make_integration, settings):
    from .conftest import KEY_B

    integration = make_integration(auth_token="sntrys_secret")
    settings.ENCRYPTION_KEY = KEY_B
    response = browser_client.get(f"/projects/{integration.project.slug}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be decrypted with the configured keys — was ENCRYPTION_KEY changed?" in page
    assert integration.auth_token not in page


def test_project_page_queries_do_not_grow_with_integrations(browser_client, make_integration):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_integration(environment="env-0")
    url = f"/projects/{first.project.slug}"
    with CaptureQueriesContext(connection) as one:
        browser_client.get(url)
    for n in range(1, 6):
        make_integration(project=first.project, environment=f"env-{n}", auth_token="t")
    with CaptureQueriesContext(connection) as six:
        browser_client.get(url)
    assert len(six) == len(one)


def test_deactivate_says_what_breaks_before_it_happens(browser_client, make_integration):
    project = make_integration(environment="production").project
    page = browser_client.get(f"/projects/{project.slug}/active", **HTMX).content.decode()
    assert "Applications asking for <strong>production</strong>" in page
    assert "<strong>404</strong>" in page
    project.refresh_from_db()
    assert project.is_active


def test_an_inactive_project_says_its_integrations_serve_nothing(browser_client, make_integration):
    from projects.services import set_project_active

    project = make_integration(environment="production").project
    set_project_active(project, False)
    page = browser_client.get(f"/projects/{project.slug}").content.decode()
    assert 'id="project-inactive"' in page and 'id="integrations-paused"' in page
    row = page.split('data-environment="production"')[1].split("</tr>")[0]
    assert "project inactive" in row and ">active<" not in row


@pytest.mark.parametrize("page", ["edit", "delete"])
def test_edit_and_delete_pages_without_javascript_show_the_whole_project_page(
    browser_client, make_integration, page
):
    integration = make_integration()
    slug = integration.project.slug
    text = browser_client.get(f"/projects/{slug}/{page}").content.decode()
    assert 'id="project-card"' in text
    assert "Save" in text if page == "edit" else "Delete project" in text
    # The integrations stay on the page, as on the page itself.
    assert 'id="integration-section"' in text
    assert integration.masked_dsn in text


def test_the_first_step_is_the_primary_button(browser_client, make_project, make_integration):
    project = make_project("Bare")
    page = browser_client.get(f"/projects/{project.slug}").content.decode()
    assert 'class="button primary" id="add-integration"' in page
    assert 'class="button secondary" id="sentry-issues-link"' in page
    make_integration(project=project)
    page = browser_client.get(f"/projects/{project.slug}").content.decode()
    assert 'class="button secondary" id="add-integration"' in page
    assert 'class="button primary" id="sentry-issues-link"' in page
