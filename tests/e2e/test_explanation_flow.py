"""Browser: Explain → queued → (worker) → done with rendered Markdown → download; and a failed
explanation → Retry → done."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from projects.access import SYSTEM
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.sentry_server import load_event


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _imported(name="Jobs"):
    from explainer import event_import
    from projects.services import create_project

    owner = get_user_model().objects.get(username="alice")
    project = create_project(owner=owner, name=name, environment="staging")
    return event_import.import_event(SYSTEM, project, load_event("python_sdk.json"))


def test_explain_progress_done_markdown_and_download(logged_in_page):
    page = logged_in_page
    imported = _imported()
    page.goto(f"/projects/{imported.project.slug}/events/{imported.pk}")
    page.click("#explain-button")
    page.wait_for_url(f"**/projects/{imported.project.slug}/explanations/*")
    expect(page.locator("#explanation-status")).to_contain_text("Queued")

    run_worker()  # the page keeps polling and shows the result when it is done
    expect(page.locator("#summary")).to_contain_text("ConnectionError", timeout=5000)
    expect(page.locator("#explanation")).to_have_attribute("data-status", "done")
    expect(page.locator("#specification h3").first).to_have_text("Problem")
    expect(page.locator("#explanation-status")).to_contain_text(
        "built-in analysis (no LLM configured)"
    )
    page.click("#context-sent summary")
    expect(page.locator("#context-sent pre")).to_contain_text("Event: ConnectionError")

    with page.expect_download() as download_info:
        page.click("#download-md")
    download = download_info.value
    assert download.suggested_filename.endswith(".md")
    with open(download.path(), encoding="utf-8") as file:
        text = file.read()
    assert text.startswith("# ConnectionError")
    assert "### Problem" in text
    assert "Tr0ub4dor" not in text


def test_a_failed_explanation_shows_its_reason_and_retries(logged_in_page, httpserver, settings):
    page = logged_in_page
    fake = FakeOpenAI().install(httpserver)
    settings.OPENAI_API_KEY = "sk-test-" + "x" * 24
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_TIMEOUT = 2.0
    fake.fail(500)
    imported = _imported("Billing")
    page.goto(f"/projects/{imported.project.slug}/events/{imported.pk}")
    page.click("#explain-button")
    page.wait_for_url("**/explanations/*")

    run_worker()
    expect(page.locator("#explanation-error")).to_contain_text("HTTP 500", timeout=5000)
    page.click("#retry-button")
    expect(page.locator("#explanation-status")).to_contain_text("Queued")
    run_worker()
    expect(page.locator("#summary")).to_contain_text("checkout view", timeout=5000)
    expect(page.locator("#confidence")).to_have_text("high")
