"""Browser: create, copy, roll and revoke an API key, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import ApiKey

from .conftest import DESKTOP, PHONE, check_page, use_width


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_create_copy_roll_and_revoke_a_key(logged_in_page, make_project, user, width):
    page = logged_in_page
    use_width(page, width)
    make_project("Shop", owner=user)
    make_project("Shop", owner=user)  # a second "Shop": the picker tells them apart by slug
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/settings/api-keys")
    expect(page.get_by_text("No API keys yet.")).to_be_visible()

    page.click("#new-key-button")
    expect(page.locator("#id_name")).to_be_focused()
    page.fill("#id_name", "shop-web")
    page.select_option("#id_project", label="Shop (shop-2)")
    page.fill("#id_expires_at", "2099-01-31")
    page.click("text=Create key")
    expect(page.get_by_text("you will not see it again")).to_be_visible()
    expect(page.locator("#issued-key-title")).to_be_focused()
    key = page.locator("#new-key").inner_text()
    assert key.startswith("smk_")
    page.click("#copy-new-key")
    expect(page.locator("#copy-new-key")).to_have_text("Copied")
    expect(page.locator("#toasts")).to_contain_text("API key copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == key
    check_page(page)

    # Once gone from the screen, the key is not shown again.
    page.click("text=Done")
    expect(page.locator("#key-table")).to_contain_text("Shop (shop-2)")
    assert key not in page.content()
    # Dates read relative, each on one line, with the exact time on hover.
    expires = page.locator("#key-table tbody tr").first.locator("time").last
    expect(expires).to_have_text(re.compile(r"^in \d+ years$"))
    expect(expires).to_have_attribute("title", re.compile(r"^2099-01-31T23:59:59"))
    lines = page.eval_on_selector_all(
        "#key-table time", "ts => ts.map(t => t.getClientRects().length)"
    )
    assert set(lines) == {1}

    # Roll is not a danger: a neutral panel, then a toast says it is done.
    page.click("#key-table >> text=Roll")
    expect(page.locator("#confirm-panel")).not_to_have_class("card confirm")
    page.fill("#id_grace_hours", "1")
    page.click("text=Roll key")
    expect(page.get_by_text("you will not see it again")).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text("API key “shop-web” rolled")
    assert page.locator("#new-key").inner_text() != key
    page.click("text=Done")
    expect(page.locator("#key-table")).to_contain_text("rolling")

    # Revoke behind a confirmation; revoked keys then leave the list until asked for.
    old = ApiKey.objects.get(replaced_by__isnull=False)
    page.click(f"#key-{old.id} >> text=Revoke")
    expect(page.locator("#confirm-panel")).to_contain_text("Revoke “shop-web”")
    expect(page.locator("#confirm-title")).to_be_focused()
    page.click("text=Revoke key")
    expect(page.locator("#toasts")).to_contain_text("revoked. It no longer works.")
    expect(page.locator(f"#key-{old.id}")).to_have_count(0)
    expect(page.locator("#revoked-toggle")).to_contain_text("1 revoked key hidden.")
    page.click("text=Show revoked keys")
    expect(page.locator(f"#key-{old.id}")).to_contain_text("revoked")
    old.refresh_from_db()
    assert old.revoked_at is not None
    check_page(page)
