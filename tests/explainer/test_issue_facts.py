"""Issue-level facts from Sentry (counts, releases, top tags, suspect commits) reach the issue
page, the explanation page and the prompt; Sentry answering 404 for committers is no error."""

import pytest

from tests.fakes.sentry_server import TOKEN

PYTHON_ISSUE, JS_ISSUE = "4504123456", "4504123457"


def page(client, project, issue_id):
    response = client.get(f"/projects/{project.slug}/issues/{issue_id}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_issue_page_shows_counts_releases_tags_and_suspect_commits(
    browser_client, integrated_project
):
    html = page(browser_client, integrated_project, PYTHON_ISSUE)
    facts = html.split('<section id="issue-facts">', 1)[1].split("</section>")[0]
    assert "<li>150 events, 40 users affected</li>" in facts
    assert "first seen 2026-11-01T08:00:00Z, last seen 2026-11-22T09:00:00Z" in facts
    assert "since release checkout@2.4.1 (the first release it was seen in)" in facts
    assert "only on environment production (100% of 150 events)" in facts
    assert "<code>checkout@2.4.1</code> 93%" in facts
    assert "<code>a1b2c3d</code> Read the discount rate from settings (fallback 0)" in facts
    assert "acme/checkout" in facts and "2026-11-19T16:40:00Z" in facts
    assert "Jane Doe" not in html and "jane.doe@example.com" not in html  # authors stay out


def test_a_tag_on_one_value_reads_only_on(browser_client, integrated_project):
    html = page(browser_client, integrated_project, JS_ISSUE)
    assert "only on browser Safari 17.1 (100% of 149 events)" in html
    assert "os: iOS 17.1 (97%), macOS 14.1 (3%)" in html


def test_no_committers_404_is_not_an_error(browser_client, integrated_project, fake_sentry):
    html = page(browser_client, integrated_project, JS_ISSUE)
    assert 'id="no-suspect-commits"' in html
    answered = [r for r in fake_sentry.requests if r.path.endswith("/committers/")]
    assert len(answered) == 1  # asked, answered 404, shown as "none"
    assert "Not available" not in html


def test_the_facts_reach_the_prompt_and_the_explanation(
    integrated_project, fake_openai, explain_now, browser_client
):
    done = explain_now(integrated_project, issueId=PYTHON_ISSUE)
    assert done["status"] == "done", done["error"]
    prompt = fake_openai.requests[-1]["body"]["messages"][1]["content"]
    assert "Issue facts (Sentry, all events of this issue):" in prompt
    assert "  - 150 events, 40 users affected" in prompt
    assert "  - since release checkout@2.4.1 (the first release it was seen in)" in prompt
    assert "  - suspect commit a1b2c3d in acme/checkout: “Read the discount rate" in prompt
    assert done["issueFacts"]["commits"][0]["id"] == "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
    html = browser_client.get(
        f"/projects/{integrated_project.slug}/explanations/{done['id']}"
    ).content.decode()
    assert "only on environment production (100% of 150 events)" in html


def test_only_on_safari_reaches_the_prompt(integrated_project, fake_openai, explain_now):
    done = explain_now(integrated_project, issueId=JS_ISSUE)
    assert done["status"] == "done", done["error"]
    prompt = fake_openai.requests[-1]["body"]["messages"][1]["content"]
    assert "  - only on browser Safari 17.1 (100% of 149 events)" in prompt
    assert done["issueFacts"]["commits"] == [] and done["issueFacts"]["unavailable"] == []


def test_the_built_in_analysis_uses_the_facts(integrated_project, explain_now):
    done = explain_now(integrated_project, issueId=JS_ISSUE)
    assert "Sentry: 149 events, 39 users affected" in done["summary"]
    assert "issue: only on browser Safari 17.1 (100% of 149 events)" in done["evidence"]


def test_tags_failing_is_noted_and_the_explanation_still_done(
    integrated_project, fake_sentry, explain_now, browser_client, settings
):
    settings.SENTRY_API_BACKOFF_SECONDS = 0
    fake_sentry.fail(500, times=5, path_contains="/tags/")
    done = explain_now(integrated_project, issueId=PYTHON_ISSUE)
    assert done["status"] == "done", done["error"]
    assert done["issueFacts"]["tags"] == []
    assert done["issueFacts"]["unavailable"][0].startswith("tags: Sentry answered HTTP 500")
    html = browser_client.get(
        f"/projects/{integrated_project.slug}/explanations/{done['id']}"
    ).content.decode()
    assert "Not available: tags: Sentry answered HTTP 500" in html


def test_the_client_asks_for_the_top_tags_and_reads_committers(make_client, fake_sentry):
    client = make_client()
    tags = client.issue_tags(PYTHON_ISSUE, ["browser", "release"], environment="production")
    assert [tag["key"] for tag in tags] == ["release"]  # a Python issue has no browser tag
    request = fake_sentry.requests[-1]
    assert request.path == f"/api/0/issues/{PYTHON_ISSUE}/tags/"
    assert request.args.getlist("key") == ["browser", "release"]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    committers = client.event_committers("9a1f3c7e2b4d4e6f8a0b1c2d3e4f5a6b")
    assert committers[0]["commits"][0]["message"].startswith("Read the discount rate")
    assert client.event_committers("b" * 32) == []  # Sentry: 404 "No committers found"


@pytest.mark.parametrize("event_id", ["", "not-an-id", "../../etc"])
def test_committers_of_a_malformed_event_id_are_not_asked(make_client, fake_sentry, event_id):
    assert make_client().event_committers(event_id) == []
    assert not fake_sentry.requests


@pytest.mark.parametrize(
    ("issue_id", "expected"),
    [(PYTHON_ISSUE, "150 events"), ("4504123999", None)],
    ids=["known issue", "issue Sentry does not know"],
)
def test_an_event_alert_gets_its_issues_facts_too(
    client, make_project, make_integration, issue_id, expected
):
    from explainer.explanations import run_explanation
    from explainer.models import Explanation
    from tests.explainer.test_sentry_webhook import SECRET, deliver, event_alert_body

    project = make_project("Shop", environment="production")
    make_integration(project, webhook_secret=SECRET, auto_explain=True)
    body = event_alert_body()
    body["data"]["event"]["issue_id"] = issue_id
    assert deliver(client, project, body, resource="event_alert").status_code == 202
    run_explanation(Explanation.objects.get().pk)
    explanation = Explanation.objects.get()
    assert explanation.status == "done", explanation.error
    if expected:
        assert explanation.issue_facts["count"] == 150
    else:  # the delivered event is explained all the same, and the page says why no facts
        assert explanation.issue_facts["unavailable"][0].startswith("the issue: Sentry has no")
