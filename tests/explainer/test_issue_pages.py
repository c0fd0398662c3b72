"""The issue list and issue pages against the fake Sentry server."""

from django.db.models import F, Value
from django.db.models.functions import Concat

from tests.fakes.sentry_server import TOKEN


def test_issue_list_shows_issues_with_links(browser_client, integrated_project):
    response = browser_client.get(f"/projects/{integrated_project.slug}/issues")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="issue-row"') == 25
    assert "BACKEND-1" in html and "ZeroDivisionError: division by zero" in html
    assert "checkout.pricing in apply_discount" in html
    assert "https://acme.sentry.io/issues/4504123456/" in html
    assert 'id="load-more"' in html


def test_load_more_returns_only_the_next_rows(browser_client, integrated_project):
    url = f"/projects/{integrated_project.slug}/issues?environment=production&cursor=0:25:0"
    response = browser_client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.count('class="issue-row"') == 5
    assert "<html" not in html and 'id="load-more"' not in html


def test_environment_and_query_are_passed_to_sentry(
    browser_client, integrated_project, make_integration, fake_sentry
):
    make_integration(integrated_project, environment="staging")
    response = browser_client.get(
        f"/projects/{integrated_project.slug}/issues?environment=staging&query=TypeError"
    )
    request = fake_sentry.requests[-1]
    assert request.args["environment"] == "staging" and request.args["query"] == "TypeError"
    assert 'value="staging" selected' in response.content.decode()


def test_no_integration_for_the_environment_is_a_panel(browser_client, integrated_project):
    response = browser_client.get(f"/projects/{integrated_project.slug}/issues?environment=qa")
    html = response.content.decode()
    assert "No Sentry integration" in html and "for environment “qa”" in html
    assert 'id="issue-table"' not in html


def test_no_token_is_a_panel(browser_client, make_project, make_integration):
    project = make_project("Shop", environment="production")
    make_integration(project, token=None)
    html = browser_client.get(f"/projects/{project.slug}/issues").content.decode()
    assert "No auth token" in html and "event:read" in html


def test_no_token_is_an_ordinary_empty_state_that_says_what_to_do(
    browser_client, make_project, make_integration
):
    project = make_project("Shop", environment="production")
    make_integration(project, token=None)
    html = browser_client.get(f"/projects/{project.slug}/issues").content.decode()
    panel = html.split('id="issue-panel"')[0].rsplit("<article", 1)[1]
    assert "card empty" in panel and "panel-error" not in panel and "alert" not in panel
    actions = html.split('id="issue-panel"')[1].split("</article>")[0]
    assert f'href="/projects/{project.slug}#integration-section" class="button primary"' in actions
    assert "Add the auth token" in actions and "Import an event JSON" in actions


def test_undecryptable_token_is_a_panel_not_a_500(browser_client, integrated_project):
    integrated_project.sentry_integrations.update(auth_token=Concat(F("auth_token"), Value("x")))
    response = browser_client.get(f"/projects/{integrated_project.slug}/issues")
    assert response.status_code == 200
    assert "cannot be decrypted" in response.content.decode()


def test_sentry_errors_are_a_panel(browser_client, integrated_project, fake_sentry):
    fake_sentry.token = TOKEN + "-rotated"
    html = browser_client.get(f"/projects/{integrated_project.slug}/issues").content.decode()
    assert "Sentry answered with an error" in html and "invalid, revoked or expired" in html


def test_issue_page_shows_the_latest_event(browser_client, integrated_project):
    response = browser_client.get(f"/projects/{integrated_project.slug}/issues/4504123456")
    html = response.content.decode()
    assert response.status_code == 200
    assert "ZeroDivisionError" in html and "KeyError" in html
    assert "return total / periods" in html and "checkout/pricing.py" in html
    assert "django.db" in html  # breadcrumbs
    assert "server_name" in html and "checkout@2.4.1" in html
    assert 'id="explain-button"' in html
    assert "jane.doe@example.com" not in html and "hunter2" not in html


def test_issue_page_for_an_unknown_issue_is_404(browser_client, integrated_project):
    response = browser_client.get(f"/projects/{integrated_project.slug}/issues/99")
    assert response.status_code == 404
    assert "no such issue" in response.content.decode()


def test_pages_of_another_users_project_are_404(client, other_user, integrated_project):
    client.force_login(other_user)
    assert client.get(f"/projects/{integrated_project.slug}/issues").status_code == 404
    assert client.get(f"/projects/{integrated_project.slug}/issues/4504123456").status_code == 404
    assert client.get(f"/projects/{integrated_project.slug}/events/import").status_code == 404
