"""The browser loader on a third-party page, in real Chromium: the page (served by a local
HTTP server on another origin, under a strict nonce-based CSP) has only the `<script>` tag the
project page shows; the loader starts the vendored SDK with the stored DSN and rates, and
errors thrown on the page reach a local Sentry ingest."""

import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from integrations import services, snippets
from projects.services import create_project
from tests.fakes.sentry_ingest import SentryIngest

NONCE = "c2hvcC1ub25jZQ"
APP_JS = """
document.getElementById("boom").addEventListener("click", function () {
  throw new Error("Checkout exploded");
});
throw new Error("Thrown before Sentry loaded");
"""


@pytest.fixture
def ingest(httpserver):
    return SentryIngest(httpserver, project_id=42)


@pytest.fixture
def integration(transactional_db, ingest):
    owner = get_user_model().objects.create_user("alice")
    project = create_project(owner=owner, name="Shop", environment="staging")
    integration = services.create_integration(
        project=project,
        environment="staging",
        dsn=ingest.dsn,
        org="acme",
        sentry_project="shop-web",
        traces_sample_rate=0.25,
        replays_session_sample_rate=0.0,
        replays_on_error_sample_rate=0.5,
    )
    services.issue_loader_id(integration)
    return integration


def serve_shop_page(httpserver, tag: str, ingest: SentryIngest) -> None:
    """The third-party page: its own CSP allows scripts with its nonce only, and connections
    to its Sentry ingest; the tag is pasted as the project page shows it, plus the nonce."""
    csp = (
        f"default-src 'none'; script-src 'nonce-{NONCE}'; "
        f"connect-src {_origin(ingest.dsn)}; worker-src blob:"
    )
    tag = tag.replace("<script ", f'<script nonce="{NONCE}" ', 1)
    html = (
        "<!doctype html><html><head><title>Shop</title>"
        f"{tag}</head><body><button id='boom'>Pay</button>"
        f"<script nonce='{NONCE}' src='/shop/app.js'></script></body></html>"
    )
    httpserver.expect_request("/shop/").respond_with_data(
        html, content_type="text/html", headers={"Content-Security-Policy": csp}
    )
    httpserver.expect_request("/shop/app.js").respond_with_data(
        APP_JS, content_type="text/javascript"
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port}"


def _events(ingest, count, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = ingest.events()
        if len(events) >= count:
            return events
        time.sleep(0.1)
    return ingest.events()


@pytest.fixture
def browser_page(chromium, live_server):
    context = chromium.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console = []
    page.errors = []
    page.requested = []
    page.on("console", lambda message: page.console.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


def test_loader_starts_sentry_and_page_errors_reach_the_ingest(
    browser_page, live_server, httpserver, ingest, integration
):
    page_url = httpserver.url_for("/shop/")
    services.set_loader_origins(integration, [_origin(page_url)])
    serve_shop_page(httpserver, snippets.loader_tag(live_server.url, integration.loader_id), ingest)

    browser_page.goto(page_url)
    browser_page.wait_for_function("() => window.Sentry && window.Sentry.getClient()")
    options = browser_page.evaluate(
        """() => {
          const client = Sentry.getClient();
          const o = client.getOptions();
          return {
            dsn: o.dsn, environment: o.environment, tracesSampleRate: o.tracesSampleRate,
            replaysSessionSampleRate: o.replaysSessionSampleRate,
            replaysOnErrorSampleRate: o.replaysOnErrorSampleRate,
            tracing: !!client.getIntegrationByName("BrowserTracing"),
            replay: !!client.getIntegrationByName("Replay"),
            version: Sentry.SDK_VERSION,
          };
        }"""
    )
    assert options == {
        "dsn": ingest.dsn,
        "environment": "staging",
        "tracesSampleRate": 0.25,
        "replaysSessionSampleRate": 0.0,
        "replaysOnErrorSampleRate": 0.5,
        "tracing": True,
        "replay": True,
        "version": "11.12.0",
    }
    browser_page.click("#boom")

    events = _events(ingest, 2)
    messages = sorted(event["exception"]["values"][-1]["value"] for event in events)
    assert messages == ["Checkout exploded", "Thrown before Sentry loaded"]
    assert {event["environment"] for event in events} == {"staging"}
    assert {event["request"]["url"] for event in events} == {page_url}

    csp = [text for text in browser_page.console if "Content Security Policy" in text]
    assert csp == [], "the loader broke the embedding page's CSP"
    # Nothing but this app, the page and its ingest (and the replay worker's blob:): no CDN.
    local = (_origin(live_server.url), _origin(page_url), _origin(ingest.dsn), "blob:")
    assert [url for url in browser_page.requested if not url.startswith(local)] == []
    sdk = f"{live_server.url}/js/sdk/"
    assert any(url.startswith(sdk) for url in browser_page.requested), "the vendored SDK"


def test_a_page_on_another_origin_gets_no_loader(
    browser_page, live_server, httpserver, ingest, integration
):
    services.set_loader_origins(integration, ["https://shop.example.com"])
    serve_shop_page(httpserver, snippets.loader_tag(live_server.url, integration.loader_id), ingest)
    browser_page.goto(httpserver.url_for("/shop/"))
    browser_page.wait_for_load_state("load")
    browser_page.click("#boom")
    assert browser_page.evaluate("() => typeof window.Sentry") == "undefined"
    assert any("CORS" in text for text in browser_page.console)
    assert ingest.events() == []
