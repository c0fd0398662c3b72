"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

`page` fails a test on any JavaScript error, console error or CSP violation. `check_page()`
asserts what every page owes its users: nothing wider than the screen, and no serious or
critical finding of axe-core (vendored in static/vendor, loaded from this server like any
script, so the CSP holds while it runs).
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, transactional_db):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _console_error(page, errors, message))
    yield page
    context.close()
    assert not errors, f"JavaScript errors or CSP violations in the page: {errors}"


def _console_error(page, errors, message):
    if message.type != "error":
        return
    # Chromium logs the status of a page that is meant to be an error (the 404 page), and of
    # an HTMX form answered 422 (errors shown next to the fields): neither is a page error.
    meant = message.location.get("url") == page.url or "status of 422" in message.text
    if "Failed to load resource" in message.text and meant:
        return
    errors.append(f"{message.text} ({message.location.get('url')})")


DESKTOP, PHONE = 1280, 390
AXE = "/static/vendor/axe-4.14.1.min.js"
SERIOUS = ("serious", "critical")


def use_width(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900 if width > PHONE else 844})


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: nothing to scroll sideways)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(url=AXE)
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}))"""
    )
    return [violation for violation in found if violation["impact"] in SERIOUS]


DESIGN_FINDINGS = r"""() => {
  const found = [];
  const name = (element) => element.id || element.className || element.tagName;
  // One button hierarchy: every button of the page is primary, secondary or danger.
  document.querySelectorAll("main button, main a.button, main [role=button]").forEach((b) => {
    const kinds = ["primary", "secondary", "danger"].filter((k) => b.classList.contains(k));
    if (kinds.length !== 1) found.push(`button outside the hierarchy: ${b.textContent.trim()}`);
  });
  // Crisp borders: no blurred shadow anywhere.
  document.querySelectorAll("body *").forEach((element) => {
    const shadow = getComputedStyle(element).boxShadow;
    const blurred = shadow !== "none" && /\d+px \d+px [1-9]/.test(shadow);
    if (blurred) found.push(`shadow on ${name(element)}`);
  });
  // Slugs, keys and DSNs in monospace.
  document.querySelectorAll(".slug, .key, .dsn").forEach((element) => {
    const font = getComputedStyle(element).fontFamily;
    if (!/mono/i.test(font)) found.push(`not monospace: ${name(element)}`);
  });
  return found;
}"""


def design_findings(page) -> list[str]:
    return page.evaluate(DESIGN_FINDINGS)


def check_page(page) -> None:
    where = f"{page.url} at {page.viewport_size['width']} px"
    assert horizontal_overflow(page) <= 0, f"{where} scrolls sideways"
    assert axe_violations(page) == [], f"axe-core on {where}"
    assert design_findings(page) == [], f"design on {where}"


@pytest.fixture
def encryption_key(settings):
    """A fixed ENCRYPTION_KEY, so stored tokens do not depend on the developer's .env."""
    import base64

    settings.ENCRYPTION_KEY = base64.b64encode(b"E" * 32).decode()
    settings.ENCRYPTION_OLD_KEYS = []


@pytest.fixture
def logged_in_page(page, user):
    """`page`, logged in as the `user` fixture (alice)."""
    from tests.conftest import PASSWORD

    page.goto("/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects")
    return page
