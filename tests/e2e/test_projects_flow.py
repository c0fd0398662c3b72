"""Browser: create, edit, deactivate and delete a project, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from projects.models import Project

from .conftest import DESKTOP, PHONE, check_page, horizontal_overflow, use_width


def expect_toast(page, text):
    toasts = page.locator("#toasts")
    expect(toasts).to_have_attribute("aria-live", "polite")
    expect(toasts).to_contain_text(text)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_create_edit_deactivate_and_delete_a_project(logged_in_page, width):
    page = logged_in_page
    use_width(page, width)
    expect(page.get_by_text("No projects yet.")).to_be_visible()

    # The form opens in place with the focus in it; every error shows at once, the first
    # one focused.
    page.click("#new-project")
    expect(page.locator("#id_name")).to_be_focused()
    page.fill("#id_environment", "Not Valid")
    page.click("text=Create project")
    expect(page.locator("#id_name_error")).to_contain_text("This field is required.")
    expect(page.locator("#id_environment_error")).to_contain_text("Environment names are")
    expect(page.locator("#id_name")).to_be_focused()
    page.fill("#id_name", "Checkout Service")
    page.fill("#id_environment", "production")
    page.click("text=Create project")
    expect(page.locator("#project-table")).to_contain_text("checkout-service")
    expect_toast(page, "Project “Checkout Service” created.")
    assert page.url.endswith("/projects") and horizontal_overflow(page) <= 0

    page.click("#project-table >> text=Checkout Service")
    page.wait_for_url("**/projects/checkout-service")
    page.click("#project-card >> text=Edit")
    expect(page.locator("#id_name")).to_be_focused()
    page.fill("#id_description", "Takes the money")
    page.click("text=Save")
    expect(page.locator("#project-card")).to_contain_text("Takes the money")
    expect(page.locator("#project-title")).to_be_focused()
    expect_toast(page, "Project saved.")

    # Deactivating says what breaks and asks first.
    page.click("#deactivate-project")
    expect(page.locator("#confirm-title")).to_be_focused()
    expect(page.locator("#confirm-panel")).to_contain_text("No environment serves config yet")
    assert Project.objects.get().is_active
    page.click("text=Deactivate project")
    expect(page.locator("#project-inactive")).to_contain_text("get 404 in every environment")
    expect_toast(page, "Project deactivated.")
    page.click("#reactivate-project")
    expect(page.locator("#project-inactive")).to_have_count(0)

    # Deleting waits for the exact slug.
    page.click("#delete-project")
    confirm = page.locator("#id_confirm")
    expect(confirm).to_be_focused()
    delete = page.get_by_role("button", name="Delete project")
    expect(delete).to_be_disabled()
    confirm.fill("checkout-servic")
    expect(delete).to_be_disabled()
    check_page(page)
    confirm.fill("checkout-service")
    expect(delete).to_be_enabled()
    assert Project.objects.count() == 1
    delete.click()
    page.wait_for_url("**/projects")
    expect(page.get_by_text("No projects yet.")).to_be_visible()
    expect_toast(page, "Project “Checkout Service” deleted.")
    assert Project.objects.count() == 0


def test_sign_up_lands_on_the_project_list(page, settings):
    settings.ALLOW_SIGNUP = True
    page.goto("/accounts/signup/")
    page.fill("#id_username", "newbie")
    page.fill("#id_password1", "a-long-unusual-pass")
    page.fill("#id_password2", "a-long-unusual-pass")
    page.click("button[type=submit]")
    page.wait_for_url("**/projects")
    expect(page.get_by_text("No projects yet.")).to_be_visible()


def test_forms_work_without_javascript(chromium, live_server, make_user, transactional_db):
    from tests.conftest import PASSWORD

    make_user("alice")
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("#new-project")
    page.fill("#id_name", "Plain Post")
    page.click("text=Create project")
    page.wait_for_url("**/projects")
    expect(page.locator("#project-table")).to_contain_text("Plain Post")
    # Deleting without JavaScript still asks for the slug, and the server checks it.
    page.click("text=Plain Post")
    page.click("#delete-project")
    page.fill("#id_confirm", "plain-post")
    page.click("text=Delete project")
    page.wait_for_url("**/projects")
    assert not Project.objects.exists()
    context.close()
