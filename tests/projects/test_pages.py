import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_pages_require_login(client, make_project):
    project = make_project()
    for url in ["/projects", f"/projects/{project.slug}", "/docs", "/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")


def test_list_shows_own_projects_only(browser_client, make_project, other_user):
    make_project("Checkout", environment="production")
    make_project("Secret Theirs", owner=other_user)
    page = browser_client.get("/projects").content.decode()
    assert "Checkout" in page
    assert "production" in page
    assert "Secret Theirs" not in page


def test_empty_list_explains_what_to_do(browser_client):
    page = browser_client.get("/projects").content.decode()
    assert "No projects yet." in page


def test_new_project_form_opens_inline_as_a_fragment(browser_client):
    response = browser_client.get("/projects?new=1", **HTMX)
    page = response.content.decode()
    assert 'id="project-section"' in page
    assert "<html" not in page
    assert 'name="name"' in page


def test_create_without_javascript_redirects_to_the_list(browser_client, user):
    response = browser_client.post(
        "/projects", {"name": "My App", "environment": "staging", "slug": "", "description": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == "/projects"
    project = Project.objects.get()
    assert (project.owner, project.slug, project.environment) == (user, "my-app", "staging")
    assert "Project “My App” created." in browser_client.get("/projects").content.decode()


def test_create_with_htmx_returns_the_refreshed_section(browser_client):
    response = browser_client.post(
        "/projects", {"name": "My App", "environment": "production"}, **HTMX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "/projects/my-app" in page
    assert "Project “My App” created." in page


@pytest.mark.parametrize("htmx", [False, True])
def test_invalid_create_shows_errors_in_place_and_keeps_values(browser_client, htmx):
    data = {"name": "Keep Me", "environment": "Not Valid", "slug": "", "description": "kept text"}
    response = browser_client.post("/projects", data, **(HTMX if htmx else {}))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Environment names are 1–64 characters" in page
    assert 'value="Keep Me"' in page
    assert "kept text" in page
    assert 'aria-invalid="true"' in page
    assert Project.objects.count() == 0


def test_over_long_name_is_rejected_in_the_form(browser_client):
    response = browser_client.post("/projects", {"name": "x" * 101, "environment": "development"})
    assert response.status_code == 422
    assert "at most 100 characters" in response.content.decode()
    assert Project.objects.count() == 0


def test_detail_page_and_other_users_project_is_404(browser_client, make_project, other_user):
    mine = make_project("Mine", description="Our shop")
    theirs = make_project("Theirs", owner=other_user)
    page = browser_client.get(f"/projects/{mine.slug}").content.decode()
    assert "Our shop" in page
    for path in ["", "/edit", "/delete"]:
        assert browser_client.get(f"/projects/{theirs.slug}{path}").status_code == 404
    for path in ["/edit", "/active", "/delete"]:
        assert (
            browser_client.post(f"/projects/{theirs.slug}{path}", {"name": "x"}).status_code == 404
        )
    assert Project.objects.filter(id=theirs.id, name="Theirs").exists()


def test_edit_inline_with_htmx(browser_client, make_project):
    project = make_project("Mine")
    form = browser_client.get(f"/projects/{project.slug}/edit", **HTMX).content.decode()
    assert 'value="Mine"' in form
    response = browser_client.post(
        f"/projects/{project.slug}/edit",
        {"name": "Renamed", "slug": "mine", "environment": "staging", "description": "d"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Renamed" in response.content.decode()
    project.refresh_from_db()
    assert (project.name, project.environment) == ("Renamed", "staging")


def test_changing_the_slug_moves_the_page(browser_client, make_project):
    project = make_project("Mine")
    response = browser_client.post(
        f"/projects/{project.slug}/edit",
        {"name": "Mine", "slug": "moved", "environment": "development"},
        **HTMX,
    )
    assert response["HX-Redirect"] == "/projects/moved"


def test_invalid_edit_changes_nothing(browser_client, make_project):
    project = make_project("Mine")
    response = browser_client.post(
        f"/projects/{project.slug}/edit", {"name": "", "slug": "mine", "environment": "development"}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    project.refresh_from_db()
    assert project.name == "Mine"


def test_deactivate_and_reactivate(browser_client, make_project):
    project = make_project("Mine")
    response = browser_client.post(f"/projects/{project.slug}/active", {"active": "false"}, **HTMX)
    assert "Reactivate" in response.content.decode()
    project.refresh_from_db()
    assert project.is_active is False
    browser_client.post(f"/projects/{project.slug}/active", {"active": "true"})
    project.refresh_from_db()
    assert project.is_active is True


def test_delete_asks_for_confirmation_first(browser_client, make_project):
    project = make_project("Mine")
    page = browser_client.get(f"/projects/{project.slug}/delete").content.decode()
    assert "Delete “Mine”?" in page
    assert "Type the slug “mine” to confirm" in page
    assert Project.objects.filter(id=project.id).exists()
    response = browser_client.post(f"/projects/{project.slug}/delete", {"confirm": "mine"})
    assert response.status_code == 302
    assert not Project.objects.filter(id=project.id).exists()


def test_delete_with_htmx_redirects_the_browser(browser_client, make_project):
    project = make_project("Mine")
    response = browser_client.post(f"/projects/{project.slug}/delete", {"confirm": "mine"}, **HTMX)
    assert response["HX-Redirect"] == "/projects"


@pytest.mark.parametrize("typed", ["", "Mine", "mine-2", "min"])
def test_delete_without_the_exact_slug_is_refused(browser_client, make_project, typed):
    project = make_project("Mine")
    response = browser_client.post(f"/projects/{project.slug}/delete", {"confirm": typed}, **HTMX)
    assert response.status_code == 422
    assert 'id="id_confirm_error"' in response.content.decode()
    assert Project.objects.filter(id=project.id).exists()


def test_forms_carry_csrf_tokens(browser_client, make_project):
    project = make_project("Mine")
    page = browser_client.get(f"/projects/{project.slug}/edit").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 2  # the edit form and the log-out one
    assert "X-CSRFToken" in page


@pytest.mark.parametrize("count", [1, 50])
def test_list_page_query_count_does_not_grow(browser_client, make_project, count):
    for number in range(count):
        make_project(f"Project {number}")
    with CaptureQueriesContext(connection) as queries:
        response = browser_client.get("/projects")
    assert response.content.decode().count("/projects/project-") == count
    assert len(queries) <= 4  # session, user, the projects (+ savepoint-free messages)
