"""An explanation reads like a root-cause analysis on the page, in the API and in the Markdown
download: reproduction steps, code locations linked to their frames, the confidence's reason.
Explanations made before those fields existed still show."""

from explainer import event_import
from explainer.models import Explanation
from projects.access import SYSTEM
from tests.fakes.openai_server import GOOD
from tests.fakes.sentry_server import load_event


def explained(project, explain_now, name="python_api.json"):
    imported = event_import.import_event(SYSTEM, project, load_event(name))
    return explain_now(project, eventId=str(imported.pk))


def page(client, project, explanation_id):
    response = client.get(f"/projects/{project.slug}/explanations/{explanation_id}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_api_carries_every_field_of_the_analysis(integrated_project, explain_now):
    done = explained(integrated_project, explain_now)
    assert done["status"] == "done", done["error"]
    assert done["reproductionSteps"].startswith(
        "1. Send the request of the event: `POST https://shop.example.com/api/cart/checkout`."
    )
    assert done["codeLocations"][0] == {
        "file": "checkout/pricing.py",
        "line": 12,
        "function": "apply_discount",
        "why": "raise site of `ZeroDivisionError: division by zero`: `return total / periods`",
    }
    assert done["confidence"] == "high" and done["confidenceReason"].startswith("High: ")
    assert done["issueFacts"] is None  # an imported event has no Sentry issue


def test_the_page_links_code_locations_to_their_frames(
    integrated_project, explain_now, browser_client
):
    done = explained(integrated_project, explain_now)
    html = page(browser_client, integrated_project, done["id"])
    locations = html.split('<ul id="code-locations">', 1)[1].split("</ul>")[0]
    assert '<a href="#frame-0-2"><code>checkout/pricing.py:12</code></a> in <strong>apply_' in (
        locations
    )
    assert '<a href="#frame-1-0"><code>checkout/pricing.py:31</code></a>' in locations
    # The frames they point at are on the same page, the raise site marked.
    assert 'class="frame in-app raise-site" id="frame-0-2"' in html
    assert 'id="frame-1-0"' in html
    assert '<div id="reproduction-steps" class="markdown"><ol>' in html
    assert 'id="confidence-reason">High: the exception is a known kind' in html
    assert "Raised while handling" in html  # the chain, on the page too


def test_llm_code_locations_link_to_the_matching_frame(
    integrated_project, fake_openai, explain_now, browser_client
):
    fake_openai.reply(
        {
            **GOOD,
            "codeLocations": [
                {"file": "/srv/app/checkout/views.py", "line": 58, "function": "checkout",
                 "why": "passes the rate"},
                {"file": "elsewhere.py", "line": 1, "function": "f", "why": "not in the event"},
            ],
        }
    )  # fmt: skip
    done = explained(integrated_project, explain_now)
    html = page(browser_client, integrated_project, done["id"])
    assert '<a href="#frame-0-1"><code>/srv/app/checkout/views.py:58</code></a>' in html
    assert "<li><code>elsewhere.py:1</code> in <strong>f</strong>" in html  # no link: no frame


def test_the_markdown_download_has_every_section_and_iso_times(
    integrated_project, explain_now, browser_client
):
    done = explained(integrated_project, explain_now)
    text = browser_client.get(
        f"/projects/{integrated_project.slug}/explanations/{done['id']}.md"
    ).content.decode()
    for heading in (
        "## Summary",
        "## Root cause",
        "## Reproduction steps",
        "## Relevant code locations",
        "## Technical specification",
        "## Suggested fix",
        "## Confidence",
        "## Evidence",
    ):
        assert f"\n{heading}\n" in text, heading
    assert "- `checkout/pricing.py:12` in `apply_discount`: raise site of" in text
    explanation = Explanation.objects.get()
    created = explanation.created_at.strftime("%Y-%m-%dT%H:%M:%S")
    assert f"confidence high · {created}" in text and "UTC" not in text
    assert "2026-11-20T09:14:03.010Z [checkout]" in text  # breadcrumb times too


def test_an_older_explanation_without_the_new_fields_still_shows(
    browser_client, integrated_project, api
):
    older = Explanation.objects.create(
        project=integrated_project,
        dedupe_key="issue:9",
        issue_id="9",
        status="done",
        provider="openai",
        model="gpt-4o-mini",
        summary="Divides by zero.",
        root_cause="pricing.py line 12",
        specification="## Problem\n\nIt fails.",
        suggested_fix="Check the divisor.",
        confidence="medium",
        evidence=["frame: apply_discount"],
    )
    html = page(browser_client, integrated_project, older.pk)
    assert "Divides by zero." in html and "Check the divisor." in html
    assert "Reproduction steps" not in html and 'id="code-locations"' not in html
    assert 'id="issue-facts"' not in html
    body = api.get(f"/api/explanations/{older.pk}").json()
    assert (body["reproductionSteps"], body["codeLocations"], body["confidenceReason"]) == (
        "",
        [],
        "",
    )
    markdown = browser_client.get(
        f"/projects/{integrated_project.slug}/explanations/{older.pk}.md"
    ).content.decode()
    assert "## Reproduction steps" not in markdown and "## Suggested fix" in markdown


def test_pages_show_times_as_iso_8601(browser_client, integrated_project, explain_now):
    done = explained(integrated_project, explain_now)
    explanation = Explanation.objects.get()
    iso = explanation.created_at.strftime("%Y-%m-%dT%H:%M:%S")
    html = page(browser_client, integrated_project, done["id"])
    assert f'<time datetime="{iso}' in html
    listing = browser_client.get(f"/projects/{integrated_project.slug}/explanations").content
    assert f'<time datetime="{iso}'.encode() in listing
    imported = explanation.imported_event
    event_page = browser_client.get(
        f"/projects/{integrated_project.slug}/events/{imported.pk}"
    ).content.decode()
    # The shared time display: relative, with the exact ISO time on hover.
    assert '<dd id="event-time"><time datetime="2026-11-20T09:14:03.112Z" title=' in event_page
    assert '<time datetime="2026-11-20T09:14:02.900Z" title=' in event_page  # a breadcrumb
