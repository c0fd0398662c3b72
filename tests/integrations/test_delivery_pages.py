"""The project page's CI snippets and browser loader controls (server side; the browser flow is
in tests/e2e/test_delivery_flow.py)."""

import html

import pytest
import yaml

from integrations import services
from integrations.models import SentryIntegration

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def integration(make_integration, make_project):
    return make_integration(make_project("Shop"), environment="staging", auth_token="sntrys_x")


def _page(client, integration) -> str:
    return html.unescape(client.get(f"/projects/{integration.project.slug}").content.decode())


def _url(integration, action):
    return f"/projects/{integration.project.slug}/integrations/{integration.pk}/loader/{action}"


def test_page_shows_github_and_gitlab_snippets_for_each_active_environment(
    browser_client, integration, make_integration
):
    make_integration(integration.project, environment="production", is_active=False)
    page = _page(browser_client, integration)
    url = "http://testserver/api/integrations/sentry/shop/ci?environment=staging&format=env"
    assert page.count(url) >= 4  # the text, two snippets (and their copy buttons)
    assert "sentry-cli sourcemaps upload" in page
    assert 'npx @sentry/cli sourcemaps upload --release "$GITHUB_SHA" ./dist' in page
    assert 'npx @sentry/cli sourcemaps upload --release "$CI_COMMIT_SHA" ./dist' in page
    assert "environment=production" not in page  # inactive: no snippet
    assert "sntrys_x" not in page
    gitlab = page.split('<pre class="snippet ci-gitlab"><code>')[1].split("</code>")[0]
    assert yaml.safe_load(gitlab)["sentry-sourcemaps"]["script"][0].startswith("curl -fsS")


def test_page_warns_when_the_job_would_find_no_token(browser_client, integration):
    services.update_integration(integration, auth_token=None)
    assert "404 no_auth_token" in _page(browser_client, integration)


def test_create_loader_shows_the_script_tag(browser_client, integration):
    assert "Create a loader" in _page(browser_client, integration)
    response = browser_client.post(_url(integration, "issue"), **HTMX)
    assert response.status_code == 200
    integration.refresh_from_db()
    tag = (
        f'<script src="http://testserver/js/{integration.loader_id}.js" '
        'crossorigin="anonymous"></script>'
    )
    fragment = response.content.decode()
    assert html.escape(tag) in fragment  # shown as text, never run on our page
    assert tag not in fragment
    assert "up to 60 s" in fragment
    assert tag in _page(browser_client, integration)


def test_regenerate_and_revoke_say_what_happens_to_the_old_tag(browser_client, integration):
    services.issue_loader_id(integration)
    old = integration.loader_id
    fragment = browser_client.post(_url(integration, "issue"), **HTMX).content.decode()
    assert "the old &lt;script&gt; tag no longer works" in fragment
    integration.refresh_from_db()
    assert integration.loader_id not in (None, old)
    fragment = browser_client.post(_url(integration, "revoke"), **HTMX).content.decode()
    assert "Loader revoked." in fragment
    assert "Create a loader" in fragment
    assert SentryIntegration.objects.get(pk=integration.pk).loader_id is None


def test_origins_are_saved_or_refused_without_change(browser_client, integration):
    services.issue_loader_id(integration)
    ok = browser_client.post(
        _url(integration, "origins"), {"origins": "https://shop.example.com"}, **HTMX
    )
    assert ok.status_code == 200
    assert 'value="https://shop.example.com"' in ok.content.decode()
    bad = browser_client.post(_url(integration, "origins"), {"origins": "shop"}, **HTMX)
    assert bad.status_code == 422
    assert "is not an origin" in html.unescape(bad.content.decode())
    integration.refresh_from_db()
    assert integration.loader_origins == ["https://shop.example.com"]


def test_plain_form_posts_redirect_with_a_message(browser_client, integration):
    response = browser_client.post(_url(integration, "issue"), follow=True)
    assert response.redirect_chain[-1][0] == f"/projects/{integration.project.slug}"
    assert "Loader created." in response.content.decode()
    response = browser_client.post(_url(integration, "origins"), {"origins": "nope"}, follow=True)
    assert "is not an origin" in html.unescape(response.content.decode())


def test_someone_elses_integration_is_404(client, other_user, integration):
    client.force_login(other_user)
    assert client.post(_url(integration, "issue"), **HTMX).status_code == 404
    integration.refresh_from_db()
    assert integration.loader_id is None
