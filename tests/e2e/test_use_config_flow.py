"""Browser: the "Use this config" panel, on a desktop and on a phone: snippets per environment,
Copy buttons that fill the clipboard, and the link to a config key for this project."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from projects.models import ApiKey

from .conftest import DESKTOP, PHONE, check_page, use_width
from .demo import DSN, STAGING_DSN


@pytest.fixture
def project(encryption_key, logged_in_page):
    from integrations.services import create_integration
    from projects.services import create_project

    owner = get_user_model().objects.get(username="alice")
    project = create_project(owner=owner, name="Checkout", environment="production")
    for environment, dsn in (("production", DSN), ("staging", STAGING_DSN)):
        create_integration(
            project=project, environment=environment, dsn=dsn, org="acme", sentry_project="web"
        )
    return project


def clipboard(page):
    return page.evaluate("navigator.clipboard.readText()")


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_snippets_for_each_environment_copy_and_create_a_config_key(
    logged_in_page, project, live_server, width
):
    page = logged_in_page
    use_width(page, width)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/projects/{project.slug}")
    endpoint = f"{live_server.url}/api/integrations/sentry/checkout"
    expect(page.locator("#snippet-curl")).to_contain_text(f"{endpoint}?environment=production")
    expect(page.locator("#snippet-python")).to_contain_text('params={"environment": "production"}')
    expect(page.locator("#snippet-node")).to_contain_text("Sentry.init({")
    assert "smk_" not in page.locator("#use-config").inner_text()  # the key is a placeholder
    check_page(page)

    # Another environment: the snippets follow, the focus stays on the picker.
    page.select_option("#use-config-environment", "staging")
    expect(page.locator("#snippet-curl")).to_contain_text("?environment=staging")
    expect(page.locator("#use-config-environment")).to_be_focused()

    page.get_by_role("button", name="Copy the Python (requests + sentry_sdk) snippet").click()
    expect(page.locator("#toasts")).to_contain_text("snippet copied to the clipboard.")
    assert clipboard(page) == page.locator("#snippet-python").inner_text()
    assert 'params={"environment": "staging"}' in clipboard(page)
    page.get_by_role("button", name="Copy the project id").click()
    expect(page.locator("#toasts")).to_contain_text("Project id copied to the clipboard.")
    assert clipboard(page) == str(project.id)
    page.get_by_role("button", name="Copy the webhook URL").click()
    assert clipboard(page) == f"{live_server.url}/api/webhooks/sentry/{project.id}"

    # The link opens the key form for this project, this environment and the config level.
    page.click("#new-config-key")
    page.wait_for_url("**/settings/api-keys?new=1*")
    expect(page.locator("#id_project option:checked")).to_have_text("Checkout (checkout)")
    expect(page.locator("#id_environment")).to_have_value("staging")
    expect(page.locator("#id_access_0")).to_be_checked()
    page.fill("#id_name", "checkout-staging")
    page.click("text=Create key")
    expect(page.get_by_text("you will not see it again")).to_be_visible()
    key = ApiKey.objects.get()
    assert (key.project, key.environment, key.access) == (project, "staging", ApiKey.CONFIG)
