from playwright.sync_api import expect

from projects.models import Project


def test_sign_up_then_create_edit_open_and_delete_a_project(page, settings):
    settings.ALLOW_SIGNUP = True
    page.goto("/accounts/signup/")
    page.fill("#id_username", "newbie")
    page.fill("#id_password1", "a-long-unusual-pass")
    page.fill("#id_password2", "a-long-unusual-pass")
    page.click("button[type=submit]")
    page.wait_for_url("**/projects")
    expect(page.get_by_text("No projects yet.")).to_be_visible()

    # The create form opens inline (no navigation) and shows errors in place.
    page.click("#new-project")
    expect(page.locator("#id_name")).to_be_visible()
    assert page.url.endswith("/projects")
    page.fill("#id_name", "Checkout Service")
    page.fill("#id_environment", "Not Valid")
    page.click("text=Create project")
    expect(page.locator(".field-error")).to_contain_text("Environment names are 1–64 characters")
    expect(page.locator("#id_name")).to_have_value("Checkout Service")

    page.fill("#id_environment", "production")
    page.click("text=Create project")
    expect(page.locator("#project-table")).to_contain_text("Checkout Service")
    expect(page.locator("#project-table")).to_contain_text("checkout-service")
    expect(page.locator("#messages")).to_contain_text("created")
    assert page.url.endswith("/projects")

    # Open it and edit inline.
    page.click("#project-table >> text=Checkout Service")
    page.wait_for_url("**/projects/checkout-service")
    page.click("text=Edit")
    page.fill("#id_description", "Takes the money")
    page.click("text=Save")
    expect(page.locator("#project-card")).to_contain_text("Takes the money")
    assert Project.objects.get().description == "Takes the money"

    # Deactivate, then delete behind a confirmation.
    page.click("text=Deactivate")
    expect(page.locator("#project-card")).to_contain_text("inactive")
    page.click("#project-card >> text=Delete")
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    assert Project.objects.count() == 1
    page.click("text=Delete project")
    page.wait_for_url("**/projects")
    expect(page.get_by_text("No projects yet.")).to_be_visible()
    assert Project.objects.count() == 0


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
    context.close()
