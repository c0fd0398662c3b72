"""Browser: the Sentry issue list against the fake Sentry server, load more, open an issue,
and import an event JSON."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.fakes.sentry_server import EVENTS, TOKEN, FakeSentry


def _project_with_integration(fake):
    from integrations.services import create_integration
    from projects.services import create_project

    owner = get_user_model().objects.get(username="alice")
    project = create_project(owner=owner, name="Shop", environment="production")
    create_integration(
        project=project,
        auth_token=TOKEN,
        environment="production",
        dsn="https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42",
        org="acme",
        sentry_project="backend",
        api_base_url=fake.base_url.rstrip("/"),
    )
    return project


def test_list_load_more_and_open_an_issue(logged_in_page, httpserver):
    from django.core.cache import cache

    cache.clear()
    page = logged_in_page
    fake = FakeSentry().install(httpserver)
    project = _project_with_integration(fake)

    page.goto(f"/projects/{project.slug}/issues")
    rows = page.locator("#issue-table .issue-row")
    expect(rows).to_have_count(25)
    expect(page.locator("#issue-table")).to_contain_text("BACKEND-1")

    page.click("#load-more-button")
    expect(rows).to_have_count(30)
    expect(page.locator("#load-more")).to_have_count(0)
    assert page.url.endswith("/issues")  # HTMX appended rows, no navigation

    page.fill("#id_query", "TypeError")
    page.click("#issue-filters button[type=submit]")
    expect(rows).to_have_count(10)

    page.click("#issue-table >> text=BACKEND-2")
    page.wait_for_url("**/issues/4504123457?environment=production")
    expect(page.locator("#issue-card")).to_contain_text("Cannot read properties of undefined")
    expect(page.locator("#event")).to_contain_text("const total = entry.price * qty;")
    expect(page.locator("#event")).to_contain_text("FetchError")
    expect(page.locator("#explain-button")).to_be_visible()
    assert "sam@example.org" not in page.content()


def test_a_project_without_integration_shows_a_panel(logged_in_page):
    from projects.services import create_project

    owner = get_user_model().objects.get(username="alice")
    project = create_project(owner=owner, name="Bare", environment="production")
    logged_in_page.goto(f"/projects/{project.slug}/issues")
    expect(logged_in_page.locator("#issue-panel")).to_contain_text("No Sentry integration")


def test_import_an_event_json(logged_in_page):
    from projects.services import create_project

    page = logged_in_page
    owner = get_user_model().objects.get(username="alice")
    project = create_project(owner=owner, name="Jobs", environment="staging")
    page.goto(f"/projects/{project.slug}/events/import")

    page.fill("#id_event_json", '{"nope": true}')
    page.click("#import-button")
    expect(page.locator(".form-errors")).to_contain_text("not a Sentry event")

    page.fill("#id_event_json", "")
    page.set_input_files("#id_event_file", str(EVENTS / "python_sdk.json"))
    page.click("#import-button")
    page.wait_for_url(f"**/projects/{project.slug}/events/*")
    expect(page.locator("#issue-card")).to_contain_text("ConnectionError")
    expect(page.locator("#event")).to_contain_text("invoices = client.fetch_all()")
    assert "Tr0ub4dor" not in page.content()
