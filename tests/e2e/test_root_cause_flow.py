"""Browser: importing the same event twice opens the first import; an explanation's code
locations link to the frames of the event shown under it."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.fakes.sentry_server import EVENTS


def test_reimport_then_explain_and_follow_a_code_location(logged_in_page):
    from projects.services import create_project

    page = logged_in_page
    owner = get_user_model().objects.get(username="alice")
    project = create_project(owner=owner, name="Checkout", environment="production")
    event_json = (EVENTS / "python_api.json").read_text()

    page.goto(f"/projects/{project.slug}/events/import")
    page.fill("#id_event_json", event_json)
    page.click("#import-button")
    page.wait_for_url(f"**/projects/{project.slug}/events/*")
    expect(page.locator("#issue-card")).to_contain_text("ZeroDivisionError")
    first = page.url
    page.goto(f"/projects/{project.slug}/events/import")
    page.fill("#id_event_json", event_json)
    page.click("#import-button")
    page.wait_for_url(first)
    expect(page.locator("body")).to_contain_text("This event was imported before (")
    expect(page.locator("#event")).to_contain_text("Raised while handling")

    page.click("#explain-button")
    page.wait_for_url("**/explanations/*")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expect(page.locator("#reproduction-steps")).to_contain_text("POST", timeout=5000)
    expect(page.locator("#confidence-reason")).to_contain_text("High")
    page.click("#code-locations a >> nth=0")
    assert page.url.endswith("#frame-0-2")
    frame = page.locator("#frame-0-2")
    expect(frame).to_be_in_viewport()
    expect(frame).to_contain_text("return total / periods")
    expect(frame).to_contain_text("raised here")
    expect(frame).to_contain_text("periods = 0")
