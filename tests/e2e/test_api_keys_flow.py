from playwright.sync_api import expect

from projects.models import ApiKey


def test_create_copy_roll_and_revoke_a_key(logged_in_page, make_project, user):
    page = logged_in_page
    make_project("Shop", owner=user)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/settings/api-keys")
    expect(page.get_by_text("No API keys yet.")).to_be_visible()

    page.click("#new-key-button")
    page.fill("#id_name", "shop-web")
    page.select_option("#id_project", label="Shop")
    page.click("text=Create key")
    expect(page.get_by_text("you will not see it again")).to_be_visible()
    key = page.locator("#new-key").inner_text()
    assert key.startswith("smk_")
    page.click("#copy-new-key")
    expect(page.locator("#copy-new-key")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == key

    # Once gone from the screen, the key is not shown again.
    page.click("text=Done")
    expect(page.locator("#key-table")).to_contain_text("shop-web")
    assert key not in page.content()

    # Roll: a new key is shown once; the old one is marked as rolling.
    page.click("#key-table >> text=Roll")
    page.fill("#id_grace_hours", "1")
    page.click("text=Roll key")
    expect(page.get_by_text("you will not see it again")).to_be_visible()
    new_key = page.locator("#new-key").inner_text()
    assert new_key != key
    page.click("text=Done")
    expect(page.locator("#key-table")).to_contain_text("rolling")

    # Revoke the rolled-out key behind a confirmation.
    old = ApiKey.objects.get(replaced_by__isnull=False)
    page.click(f"#key-{old.id} >> text=Revoke")
    expect(page.locator("#confirm-panel")).to_contain_text("Revoke “shop-web”")
    page.click("text=Revoke key")
    expect(page.locator(f"#key-{old.id}")).to_contain_text("revoked")
    old.refresh_from_db()
    assert old.revoked_at is not None
