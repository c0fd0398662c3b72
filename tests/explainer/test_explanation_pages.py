"""Explanation pages: Explain buttons, progress fragment, sanitized Markdown, .md download."""

import pytest

from explainer import event_import
from explainer.models import Explanation
from projects.access import SYSTEM
from tests.fakes.sentry_server import load_event


@pytest.fixture
def imported(integrated_project):
    return event_import.import_event(SYSTEM, integrated_project, load_event("python_sdk.json"))


def done(project, **fields):
    values = {
        "status": "done",
        "dedupe_key": "issue:1",
        "issue_id": "1",
        "issue_short_id": "BACKEND-1",
        "issue_title": "ZeroDivisionError",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "summary": "Divides by zero.",
        "root_cause": "pricing.py line 12",
        "specification": "## Problem\n\n**Bold** text\n\n<script>alert('x')</script>\n\n"
        "<img src=x onerror=alert(1)>",
        "suggested_fix": "```python\nif periods: total / periods\n```",
        "confidence": "medium",
        "evidence": ["frame: apply_discount"],
        "context_sent": "Event: ZeroDivisionError",
        **fields,
    }
    return Explanation.objects.create(project=project, **values)


def test_explain_on_an_imported_event_queues_and_redirects(browser_client, imported):
    url = f"/projects/{imported.project.slug}/events/{imported.pk}/explain"
    response = browser_client.post(url)
    explanation = Explanation.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"] == f"/projects/{imported.project.slug}/explanations/{explanation.pk}"
    )
    assert explanation.status == "queued" and explanation.imported_event == imported
    again = browser_client.post(url, headers={"HX-Request": "true"})
    assert again["HX-Redirect"] == response["Location"]  # the queued one, not a second
    assert Explanation.objects.count() == 1


def test_explain_on_the_issue_page_is_a_form(browser_client, integrated_project):
    html = browser_client.get(f"/projects/{integrated_project.slug}/issues/4504123457").content
    assert b'action="/projects/shop/issues/4504123457/explain"' in html
    response = browser_client.post(
        f"/projects/{integrated_project.slug}/issues/4504123457/explain",
        {"environment": "production"},
    )
    assert response.status_code == 302
    assert Explanation.objects.get().issue_id == "4504123457"


def test_a_pending_explanation_polls_and_a_done_one_stops(browser_client, imported):
    browser_client.post(f"/projects/{imported.project.slug}/events/{imported.pk}/explain")
    explanation = Explanation.objects.get()
    url = f"/projects/{imported.project.slug}/explanations/{explanation.pk}"
    fragment = browser_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="explanation"')
    assert 'hx-trigger="every 1s"' in fragment and "Queued" in fragment
    Explanation.objects.filter(pk=explanation.pk).update(status="running")
    assert "Running for" in browser_client.get(url, headers={"HX-Request": "true"}).content.decode()
    Explanation.objects.filter(pk=explanation.pk).update(status="failed", error="HTTP 500 boom")
    failed = browser_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in failed
    assert "HTTP 500 boom" in failed and 'id="retry-button"' in failed


def test_the_markdown_is_rendered_and_sanitized(browser_client, integrated_project):
    explanation = done(integrated_project)
    html = browser_client.get(
        f"/projects/{integrated_project.slug}/explanations/{explanation.pk}"
    ).content.decode()
    specification = html.split('<div id="specification" class="markdown">', 1)[1].split("</div>")[0]
    assert "<strong>Bold</strong>" in specification
    assert "<h3>Problem</h3>" in specification  # under the page's own h2
    assert "<script" not in specification and "onerror" not in specification
    assert "<script>alert" not in html
    assert "<pre><code" in html and "if periods: total / periods" in html
    assert "What was sent to the model" in html and "Event: ZeroDivisionError" in html
    assert 'data-copy-text="# BACKEND-1 ZeroDivisionError' in html
    assert "hx-trigger" not in html


def test_summary_and_root_cause_render_inline_markdown(browser_client, integrated_project):
    explanation = done(integrated_project)
    Explanation.objects.filter(pk=explanation.pk).update(
        summary="`total / periods` failed <img src=x onerror=alert(1)>"
    )
    html = browser_client.get(
        f"/projects/{integrated_project.slug}/explanations/{explanation.pk}"
    ).content.decode()
    summary = html.split('<div id="summary" class="markdown">', 1)[1].split("</div>")[0]
    assert "<code>total / periods</code>" in summary
    assert "onerror" not in summary


def test_download_is_a_markdown_attachment(browser_client, integrated_project):
    explanation = done(integrated_project)
    response = browser_client.get(
        f"/projects/{integrated_project.slug}/explanations/{explanation.pk}.md"
    )
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="explanation-BACKEND-1.md"'
    text = response.content.decode()
    assert text.startswith("# BACKEND-1 ZeroDivisionError")
    assert "### Problem" in text and "## Suggested fix" in text


def test_the_list_and_other_users(browser_client, integrated_project, client, other_user):
    explanation = done(integrated_project)
    html = browser_client.get(f"/projects/{integrated_project.slug}/explanations").content
    assert b"BACKEND-1 ZeroDivisionError" in html
    client.force_login(other_user)
    url = f"/projects/{integrated_project.slug}/explanations/{explanation.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url + "/retry").status_code == 404


def test_retry_requeues_a_failed_one(browser_client, integrated_project):
    explanation = done(integrated_project, status="failed", error="boom", summary="")
    url = f"/projects/{integrated_project.slug}/explanations/{explanation.pk}"
    assert browser_client.post(url + "/retry")["Location"] == url
    explanation.refresh_from_db()
    assert (explanation.status, explanation.error) == ("queued", "")
    assert explanation.task_id


def test_download_dates_the_explanation_in_iso_in_the_users_time_zone(
    browser_client, integrated_project
):
    from zoneinfo import ZoneInfo

    explanation = done(integrated_project)
    browser_client.cookies["tz"] = "Asia/Tokyo"
    text = browser_client.get(
        f"/projects/{integrated_project.slug}/explanations/{explanation.pk}.md"
    ).content.decode()
    in_tokyo = explanation.created_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert in_tokyo.isoformat(timespec="milliseconds") in text.splitlines()[2]
