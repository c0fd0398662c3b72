"""Browser: a team from the owner's and a member's side — invite, accept, switch, roles, the
audit log and a key's usage chart."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from integrations.services import create_integration
from projects.keys import usage
from projects.keys.services import issue_api_key
from projects.teams import services as teams
from tests.conftest import PASSWORD

from .conftest import DESKTOP, PHONE, check_page, use_width

DSN = "https://abc123def456@o1.ingest.sentry.io/2"


def _sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects")


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_invite_accept_switch_and_a_member_sees_dsns_masked(
    logged_in_page, user, make_project, encryption_key, width
):
    page = logged_in_page
    use_width(page, width)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    acme = teams.create_team(user, "Acme")
    shop = make_project("Shop", team=acme)
    create_integration(
        project=shop, environment="production", dsn=DSN, org="acme", sentry_project="shop"
    )

    # The owner invites: the link is shown once, to copy.
    page.goto(f"/teams/{acme.slug}")
    page.click("#invite-button")
    page.fill("#id_email", "carol@example.com")
    page.check("input[name=role][value=member]")
    page.click("text=Create invitation")
    expect(page.locator("#issued-invitation-title")).to_be_focused()
    link = page.locator("#invitation-link").inner_text()
    page.click("#copy-invitation")
    assert page.evaluate("navigator.clipboard.readText()") == link
    check_page(page)

    # Carol accepts and lands in Acme, where Shop is.
    get_user_model().objects.create_user("carol", password=PASSWORD)
    _sign_in(page, "carol")
    page.goto(link)
    page.click("#accept-invitation")
    page.wait_for_url("**/projects")
    expect(page.locator("#project-table")).to_contain_text("Shop")
    expect(page.locator("#team-switcher summary")).to_contain_text("Acme")

    # As a member she sees the DSN masked, may reveal it, and may not edit the integration.
    page.click("text=Shop")
    expect(page.locator(".dsn-cell code")).to_have_text("https://••••••••@o1.ingest.sentry.io/2")
    page.get_by_role("button", name="Show the production DSN").click()
    expect(page.locator(".dsn-cell code")).to_have_text(DSN)
    integration = shop.sentry_integrations.get()
    response = page.goto(f"/projects/{shop.slug}/integrations/{integration.id}/edit")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("you need to be an admin; you are a member")

    # The switcher takes her back to her personal team, and Escape closes it.
    page.goto("/projects")
    page.click("#team-switcher summary")
    page.keyboard.press("Escape")
    expect(page.locator("#team-switcher")).not_to_have_attribute("open", "")
    page.click("#team-switcher summary")
    page.locator("#team-switcher").get_by_role("button", name="carol (personal)").click()
    expect(page.locator("#team-switcher summary")).to_contain_text("carol")
    expect(page.locator("main")).not_to_contain_text("Shop")
    check_page(page)


def test_the_audit_log_filters_and_the_usage_chart_renders(
    logged_in_page, user, make_project, encryption_key
):
    page = logged_in_page
    shop = make_project("Shop")
    blog = make_project("Blog")
    key = issue_api_key(owner=user, name="shop app", project=shop).api_key
    for _ in range(12):
        usage.count(key.prefix, usage.OK)
    usage.count(key.prefix, "revoked_api_key")
    usage.flush()
    team = shop.team

    page.goto(f"/teams/{team.slug}/audit")
    expect(page.locator("#audit-table")).to_contain_text("key.created")
    page.select_option("#id_project", label=blog.name)
    page.click("text=Filter")
    expect(page.locator("#audit-table")).to_contain_text("project.created")
    expect(page.locator("#audit-table")).not_to_contain_text("key.created")
    check_page(page)

    page.goto("/settings/api-keys")
    page.click("text=shop app")
    expect(page.locator("#usage-chart .usage-bar")).to_have_count(7)
    expect(page.locator("#top-errors")).to_contain_text("revoked_api_key: 1")
    assert "13" in page.locator("#usage h2").first.inner_text()
    check_page(page)
