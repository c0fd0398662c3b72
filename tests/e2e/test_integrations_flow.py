"""Browser: the integrations on the project page, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from integrations.models import SentryIntegration
from projects.audit.models import AuditEntry

from .conftest import DESKTOP, PHONE, check_page, horizontal_overflow, use_width

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
    expect(page.locator("#id_environment")).to_be_focused()
    page.fill("#id_environment", environment)
    page.fill("#id_dsn", dsn)
    page.fill("#id_org", "acme")
    page.fill("#id_sentry_project", "checkout")
    page.fill("#id_auth_token", "sntrys_browser_secret")
    page.click("#integration-form-card button[type=submit]")


def box(locator):
    found = locator.bounding_box()
    return round(found["x"]), round(found["width"])


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_add_show_hide_and_copy_the_dsn(project_page, width):
    page = project_page
    use_width(page, width)
    expect(page.locator("#add-integration")).to_have_class("button primary")  # the first step
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    add_integration(page)
    row = page.locator("#integration-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(MASKED)
    expect(row).to_contain_text("token set")
    expect(page.locator("#toasts")).to_contain_text("Integration “production” added.")
    expect(page.locator("#integrations-title")).to_be_focused()
    assert page.url.endswith("/projects/checkout")
    check_page(page)

    # The full DSN and the token are nowhere in the page's HTML.
    html = page.content()
    assert "abc123def456" not in html and "sntrys_browser_secret" not in html

    # Show swaps in the full DSN on one line without moving the table; Hide masks it again.
    # The focus stays on the toggle, for the keyboard.
    cell = page.locator(".dsn-cell code")
    before = box(cell), box(page.locator("#integration-table"))
    page.get_by_role("button", name="Show the production DSN").click()
    expect(cell).to_have_text(DSN)
    hide = page.get_by_role("button", name="Hide the production DSN")
    expect(hide).to_be_focused()
    assert (box(cell), box(page.locator("#integration-table"))) == before
    assert cell.evaluate("(code) => getComputedStyle(code).whiteSpace") == "nowrap"
    assert horizontal_overflow(page) <= 0
    expect(hide).to_be_focused()  # still, after the measuring: Enter goes to it
    hide.press("Enter")
    expect(cell).to_have_text(MASKED)
    expect(page.get_by_role("button", name="Show the production DSN")).to_be_focused()
    assert "abc123def456" not in page.content()

    # Copy puts the full DSN on the clipboard without showing it, and says so in a toast.
    copy = page.get_by_role("button", name="Copy the production DSN")
    copy.click()
    expect(copy).to_have_text("Copied")
    expect(page.locator("#toasts")).to_contain_text("DSN copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == DSN
    assert "abc123def456" not in page.content()
    reveals = AuditEntry.objects.filter(action__startswith="dsn.").order_by("created_at", "id")
    assert list(reveals.values_list("action", flat=True)) == ["dsn.revealed", "dsn.copied"]


def test_a_bad_dsn_and_missing_fields_show_together_with_the_first_focused(project_page):
    page = project_page
    page.click("#add-integration")
    page.fill("#id_environment", "production")
    page.fill("#id_dsn", "https://o1.ingest.sentry.io/2")
    page.fill("#id_sentry_project", "checkout")
    page.click("#integration-form-card button[type=submit]")
    expect(page.locator("#id_dsn_error")).to_contain_text("no public key before the @")
    expect(page.locator("#id_org_error")).to_contain_text("This field is required.")
    expect(page.locator("#id_dsn")).to_be_focused()
    expect(page.locator("#id_dsn")).to_have_value("https://o1.ingest.sentry.io/2")
    assert not SentryIntegration.objects.exists()


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_edit_deactivate_reactivate_and_delete(project_page, width):
    page = project_page
    use_width(page, width)
    add_integration(page)
    expect(page.locator("#integration-table")).to_contain_text("production")

    page.click(".row-edit")
    expect(page.locator("#id_dsn")).to_have_value("")  # the DSN stays hidden while editing
    page.fill("#id_org", "new-org")
    page.fill("#id_traces_sample_rate", "0.5")
    page.click("#integration-form-card button[type=submit]")
    expect(page.locator("#integration-table")).to_contain_text("new-org")
    expect(page.locator("#toasts")).to_contain_text("Integration “production” saved.")
    integration = SentryIntegration.objects.get()
    assert (integration.org, integration.traces_sample_rate, integration.dsn) == (
        "new-org",
        0.5,
        DSN,
    )

    # The row's actions are all on screen, Delete in the danger style like every delete.
    delete = page.locator(".row-delete")
    x, w = box(delete)
    assert x >= 0 and x + w <= width
    expect(delete).to_have_class("button danger small row-delete")

    page.click(".row-deactivate")
    expect(page.locator("#confirm-integration")).to_contain_text(
        "Applications asking for production of checkout will get 404"
    )
    expect(page.locator("#confirm-integration-title")).to_be_focused()
    page.click("text=Deactivate integration")
    expect(page.locator(".integration-status")).to_have_text("inactive")
    page.click(".row-reactivate")
    expect(page.locator(".integration-status")).to_have_text("active")

    page.click(".row-delete")
    expect(page.locator("#id_confirm")).to_be_focused()
    check_page(page)
    page.fill("#id_confirm", "production")
    assert SentryIntegration.objects.count() == 1
    page.click("text=Delete integration")
    expect(page.get_by_text("No integrations yet.")).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text("Integration “production” deleted.")
    assert not SentryIntegration.objects.exists()


def test_deactivating_the_project_marks_its_integrations(project_page):
    page = project_page
    add_integration(page)
    page.click("#deactivate-project")
    expect(page.locator("#confirm-panel")).to_contain_text(
        "Applications asking for production of checkout will get 404"
    )
    page.click("text=Deactivate project")
    expect(page.locator(".integration-status")).to_have_text("project inactive")
    expect(page.locator("#integrations-paused")).to_be_visible()
