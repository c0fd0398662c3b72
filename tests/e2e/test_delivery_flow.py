"""The project page's CI snippets and browser loader controls, in real Chromium (HTMX)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from integrations.models import SentryIntegration
from integrations.services import create_integration
from projects.services import create_project

DSN = "https://abc123def456@o1.ingest.sentry.io/2"


pytestmark = pytest.mark.usefixtures("encryption_key")


@pytest.fixture
def shop_page(logged_in_page):
    owner = get_user_model().objects.get(username="alice")
    project = create_project(owner=owner, name="Shop", environment="production")
    create_integration(
        project=project,
        environment="production",
        dsn=DSN,
        org="acme",
        sentry_project="shop-web",
        auth_token="sntrys_browser_secret",
    )
    logged_in_page.goto("/projects/shop")
    return logged_in_page


def test_ci_snippets_unfold_with_the_ci_endpoint(shop_page, live_server):
    card = shop_page.locator(".delivery-card[data-environment=production]")
    card.locator("summary").click()
    github = card.locator("pre.ci-github")
    expect(github).to_be_visible()
    url = f"{live_server.url}/api/integrations/sentry/shop/ci?environment=production&format=env"
    expect(github).to_contain_text(url)
    expect(card.locator("pre.ci-gitlab")).to_contain_text("@sentry/cli sourcemaps upload")


def test_create_restrict_regenerate_and_revoke_the_loader(shop_page, live_server):
    panel = shop_page.locator(".loader-panel")
    panel.locator("button.loader-create").click()
    tag = panel.locator("pre.loader-tag")
    expect(tag).to_contain_text(f'<script src="{live_server.url}/js/')
    first_id = SentryIntegration.objects.get().loader_id
    loader = shop_page.request.get(f"{live_server.url}/js/{first_id}.js")
    assert loader.status == 200
    assert loader.headers["cache-control"] == "public, max-age=60"

    panel = shop_page.locator(".loader-panel")
    panel.locator("input[name=origins]").fill("https://shop.example.com")
    panel.locator(".loader-origins button[type=submit]").click()
    expect(shop_page.locator(".loader-panel [role=status]")).to_have_text("Page origins saved.")
    assert SentryIntegration.objects.get().loader_origins == ["https://shop.example.com"]

    shop_page.locator("button.loader-regenerate").click()
    expect(shop_page.locator(".loader-panel [role=status]")).to_contain_text("no longer works")
    second_id = SentryIntegration.objects.get().loader_id
    assert second_id != first_id
    expect(shop_page.locator("pre.loader-tag")).to_contain_text(f"/js/{second_id}.js")
    assert shop_page.request.get(f"{live_server.url}/js/{first_id}.js").status == 404

    shop_page.locator("button.loader-revoke").click()
    expect(shop_page.locator(".loader-panel [role=status]")).to_have_text("Loader revoked.")
    expect(shop_page.locator("button.loader-create")).to_be_visible()
    assert shop_page.request.get(f"{live_server.url}/js/{second_id}.js").status == 404
