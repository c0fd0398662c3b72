"""Browser: the user menu and the keyboard, the focus ring, and times in the user's zone."""

import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def test_escape_closes_the_user_menu_and_returns_to_its_button(logged_in_page):
    page = logged_in_page
    menu = page.locator("#user-menu")
    page.click("#user-menu summary")
    expect(menu).to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(page.locator("#user-menu summary")).to_be_focused()
    # A click elsewhere closes it too.
    page.click("#user-menu summary")
    page.click("h1")
    expect(menu).not_to_have_attribute("open", "")


def test_the_keyboard_focus_ring_is_plain_to_see(logged_in_page):
    page = logged_in_page
    page.keyboard.press("Tab")  # the skip link comes first
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const style = getComputedStyle(document.activeElement);
                   return [style.outlineStyle, parseFloat(style.outlineWidth)]; }"""
    )
    assert focused[0] == "solid" and focused[1] >= 3


def test_times_read_relative_with_the_exact_time_in_the_browsers_zone(
    chromium, live_server, make_project, user
):
    project = make_project("Checkout")
    context = chromium.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects")
    created = page.locator("#project-table time")
    expect(created).to_have_text("just now")
    in_tokyo = project.created_at.astimezone(ZoneInfo("Asia/Tokyo")).isoformat()[:16]
    expect(created).to_have_attribute("title", re.compile(rf"^{in_tokyo}.*\+09:00 Asia/Tokyo$"))
    context.close()
