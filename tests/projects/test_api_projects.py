import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from projects.models import Project

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "teamId",
    "name",
    "slug",
    "description",
    "environment",
    "isActive",
    "createdAt",
    "updatedAt",
}


def test_create_returns_201_with_camel_case_fields(api):
    response = api.post(
        "/api/projects",
        {"name": "My App", "description": "Checkout", "environment": "production"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS
    assert body["slug"] == "my-app"
    assert body["environment"] == "production"
    assert body["isActive"] is True
    assert Project.objects.get(id=body["id"]).description == "Checkout"


def test_environment_defaults_to_development(api):
    assert api.post("/api/projects", {"name": "X"}, format="json").json()["environment"] == (
        "development"
    )


def test_list_is_paginated_and_only_shows_own_projects(api, make_project, other_user):
    make_project("Mine")
    make_project("Theirs", owner=other_user)
    body = api.get("/api/projects").json()
    assert body["count"] == 1
    assert [p["name"] for p in body["results"]] == ["Mine"]
    assert {"next", "previous"} <= set(body)


def test_get_patch_delete_one_project(api, make_project):
    project = make_project("Mine")
    url = f"/api/projects/{project.id}"
    assert api.get(url).json()["name"] == "Mine"

    response = api.patch(url, {"name": "Renamed", "isActive": False}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    assert response.json()["isActive"] is False
    project.refresh_from_db()
    assert (project.name, project.is_active, project.slug) == ("Renamed", False, "mine")

    assert api.delete(url).status_code == 204
    assert not Project.objects.filter(id=project.id).exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_project_is_404(api, make_project, other_user, method):
    theirs = make_project("Theirs", owner=other_user)
    response = getattr(api, method)(f"/api/projects/{theirs.id}", {"name": "x"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such project.", "code": "not_found"}
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_unknown_and_malformed_ids_are_json_404(api):
    assert api.get(f"/api/projects/{uuid.uuid4()}").json()["code"] == "not_found"
    response = api.get("/api/projects/not-a-uuid")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_wrong_method_is_json_405(api):
    response = api.put("/api/projects", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_anonymous_caller_gets_json_error_not_a_login_page():
    response = APIClient().get("/api/projects")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_session_post_without_csrf_token_is_refused(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/projects", {"name": "X"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Project.objects.count() == 0


BAD_CREATES = [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "ok", "description": "d" * 1001}, "description"),
    ({"name": "ok", "environment": "Prod!"}, "environment"),
    ({"name": "ok", "environment": ""}, "environment"),
    ({"name": "ok", "environment": "e" * 65}, "environment"),
    ({"name": "ok", "slug": "Bad Slug"}, "slug"),
    ({"name": 123}, "name"),
    ({"name": None}, "name"),
    ({"name": ["a"]}, "name"),
    ({"name": "ok", "isActive": "yes"}, "isActive"),
    ({"name": "ok", "description": {"a": 1}}, "description"),
    ({"name": "ok", "colour": "blue"}, "colour"),
    ({}, "name"),
]


@pytest.mark.parametrize(("payload", "field"), BAD_CREATES)
def test_bad_input_is_400_naming_the_field_and_nothing_is_stored(api, payload, field):
    response = api.post("/api/projects", payload, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    assert body["fields"][field][0]
    assert field in body["detail"]
    assert Project.objects.count() == 0


def test_taken_slug_is_a_409_conflict(api, make_project, other_user):
    # Valid input that conflicts with another project: a conflict, not a bad request.
    make_project("Other", owner=other_user, slug="taken")
    response = api.post("/api/projects", {"name": "Mine", "slug": "taken"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body == {"detail": "The slug is already taken by another project.", "code": "slug_taken"}
    assert Project.objects.count() == 1


@pytest.mark.parametrize("raw", ['{"name": "x",', "not json", "[1, 2]", '"a string"'])
def test_malformed_or_non_object_json_is_400(api, raw):
    response = api.post("/api/projects", raw, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] in ("malformed_json", "invalid")
    assert body["detail"]
    assert Project.objects.count() == 0


def test_malformed_json_names_the_problem(api):
    body = api.post("/api/projects", '{"name": ', content_type="application/json").json()
    assert body["code"] == "malformed_json"
    assert body["detail"].startswith("The request body is not valid JSON")


def test_bad_patch_changes_nothing(api, make_project):
    project = make_project("Mine", description="keep")
    response = api.patch(
        f"/api/projects/{project.id}",
        {"name": "", "description": "new", "environment": "BAD ENV"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"name", "environment"}
    project.refresh_from_db()
    assert (project.name, project.description, project.environment) == (
        "Mine",
        "keep",
        "development",
    )


def test_patch_may_echo_read_only_fields(api, make_project):
    project = make_project("Mine")
    body = api.get(f"/api/projects/{project.id}").json()
    body["name"] = "Echoed"
    response = api.patch(
        f"/api/projects/{project.id}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Echoed"


@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count_does_not_grow(api, make_project, count):
    for number in range(count):
        make_project(f"Project {number}")
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/projects")
    assert response.json()["count"] == count
    # count(*) + the page; force_authenticate needs no session or user query.
    assert len(queries) == 2
