"""Projects come back in one order, by name then slug, in the API and on the page."""

import re

import pytest

pytestmark = pytest.mark.django_db

EXPECTED = ["alpha", "my-app", "my-app-2", "zeta"]


@pytest.fixture
def projects(make_project):
    for name in ["Zeta", "My App", "Alpha", "My App"]:
        make_project(name)


def test_the_api_lists_projects_by_name_then_slug(api, projects):
    body = api.get("/api/projects").json()
    assert [project["slug"] for project in body["results"]] == EXPECTED


def test_the_page_lists_projects_by_name_then_slug(browser_client, projects):
    page = browser_client.get("/projects").content.decode()
    table = page[page.index('id="project-table"') :]
    assert re.findall(r'href="/projects/([a-z0-9-]+)"', table) == EXPECTED
