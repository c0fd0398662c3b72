"""Browser tests of the integrations section on the project page (real Chromium)."""

import pytest
from playwright.sync_api import expect

from integrations.models import DsnRevealEvent, SentryIntegration

DSN = "https://abc123def456@o1.ingest.sentry.io/2"
MASKED = "https://••••••••@o1.ingest.sentry.io/2"


pytestmark = pytest.mark.usefixtures("encryption_key")


@pytest.fixture
def project_page(logged_in_page):
    from django.contrib.auth import get_user_model

    from projects.services import create_project

    create_project(owner=get_user_model().objects.get(username="alice"), name="Checkout")
    logged_in_page.goto("/projects/checkout")
    return logged_in_page


def add_integration(page, dsn=DSN, environment="production"):
    page.click("#add-integration")
    page.fill("#id_environment", environment)
    page.fill("#id_dsn", dsn)
    page.fill("#id_org", "acme")
    page.fill("#id_sentry_project", "checkout")
    page.fill("#id_auth_token", "sntrys_browser_secret")
    page.click("#integration-form-card button[type=submit]")


def test_add_integration_dsn_masked_show_hide_copy(project_page):
    page = project_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    add_integration(page)
    row = page.locator("#integration-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(MASKED)
    expect(row).to_contain_text("set")
    expect(page.locator("#messages")).to_contain_text("Integration “production” added.")
    assert page.url.endswith("/projects/checkout")

    # The full DSN and the token are nowhere in the page's HTML.
    html = page.content()
    assert "abc123def456" not in html and "sntrys_browser_secret" not in html
    page.reload()
    assert "abc123def456" not in page.content()

    # Show swaps in the full DSN; Hide masks it again.
    cell = page.locator(".dsn-cell")
    cell.get_by_role("button", name="Show").click()
    expect(page.locator(".dsn-cell code")).to_have_text(DSN)
    page.locator(".dsn-cell").get_by_role("button", name="Hide").click()
    expect(page.locator(".dsn-cell code")).to_have_text(MASKED)
    assert "abc123def456" not in page.content()

    # Copy puts the full DSN on the clipboard without showing it.
    copy = page.locator(".dsn-cell [data-copy-url]")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == DSN
    assert "abc123def456" not in page.content()
    assert list(DsnRevealEvent.objects.order_by("created_at").values_list("action", flat=True)) == [
        "reveal",
        "copy",
    ]


def test_bad_dsn_shows_its_error_next_to_the_field_and_keeps_values(project_page):
    page = project_page
    add_integration(page, dsn="https://o1.ingest.sentry.io/2")
    expect(page.locator("#id_dsn_error")).to_contain_text("no public key before the @")
    expect(page.locator("#id_org")).to_have_value("acme")
    expect(page.locator("#id_dsn")).to_have_value("https://o1.ingest.sentry.io/2")
    expect(page.locator("#id_auth_token")).to_have_value("")  # a token is never rendered back
    assert not SentryIntegration.objects.exists()


def test_edit_deactivate_reactivate_and_delete(project_page):
    page = project_page
    add_integration(page)
    expect(page.locator("#integration-table")).to_contain_text("production")

    page.click(".row-edit")
    expect(page.locator("#id_dsn")).to_have_value("")  # the DSN stays hidden while editing
    page.fill("#id_org", "new-org")
    page.fill("#id_traces_sample_rate", "0.5")
    page.click("#integration-form-card button[type=submit]")
    expect(page.locator("#integration-table")).to_contain_text("new-org")
    integration = SentryIntegration.objects.get()
    assert (integration.org, integration.traces_sample_rate, integration.dsn) == (
        "new-org",
        0.5,
        DSN,
    )

    page.click(".row-deactivate")
    expect(page.locator("#integration-table")).to_contain_text("inactive")
    page.click(".row-reactivate")
    expect(page.locator("#integration-table .badge-ok").last).to_have_text("active")

    page.click(".row-delete")
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    assert SentryIntegration.objects.count() == 1
    page.click("text=Delete integration")
    expect(page.get_by_text("No integrations yet.")).to_be_visible()
    assert not SentryIntegration.objects.exists()
