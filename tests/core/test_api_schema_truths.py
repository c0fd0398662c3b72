"""What the OpenAPI schema says, checked against what the API does: paginated list shapes, the
config endpoint documented with its errors and caching headers, every operation's 4xx in the
one error shape, operations tagged by area."""

import pytest

pytestmark = pytest.mark.django_db

AREAS = {"projects", "keys", "integrations", "config", "explainer", "webhooks"}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def response_schema(schema, path, method="get", status="200"):
    content = schema["paths"][path][method]["responses"][status]["content"]
    found = content["application/json"]["schema"]
    if "$ref" in found:
        return schema["components"]["schemas"][found["$ref"].rsplit("/", 1)[1]]
    return found


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects",
        "/api/keys",
        "/api/projects/{project_id}/sentry",
        "/api/projects/{project_id}/explanations",
    ],
)
def test_list_routes_are_documented_as_the_pages_they_answer(schema, path):
    page = response_schema(schema, path)
    assert page["type"] == "object"
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"


def test_the_config_endpoint_is_documented(schema):
    operation = schema["paths"]["/api/integrations/sentry/{slug}"]["get"]
    assert operation["tags"] == ["config"]
    assert {p["name"] for p in operation["parameters"]} == {"slug", "environment", "If-None-Match"}
    assert {"200", "304", "400", "401", "403", "404", "429"} <= set(operation["responses"])
    assert "ETag" in operation["responses"]["200"]["headers"]
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    body = response_schema(schema, "/api/integrations/sentry/{slug}")
    assert set(body["required"]) == {"dsn", "environment", "org", "project", "config"}


def test_every_operation_documents_its_errors_in_the_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "404", "429"} <= codes, (method, path)
            for code in codes - {"200", "201", "202", "204", "304"}:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_operations_are_tagged_by_area(schema):
    tags = {
        (method, path): operation["tags"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert {tag for tagged in tags.values() for tag in tagged} == AREAS
    assert tags[("get", "/api/projects/{project_id}/sentry")] == ["integrations"]
    assert tags[("get", "/api/projects/{project_id}/sentry-issues")] == ["explainer"]
    assert tags[("post", "/api/webhooks/sentry/{project_id}")] == ["webhooks"]
    assert tags[("get", "/api/keys")] == ["keys"]
