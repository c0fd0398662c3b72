"""A chunked request body (no Content-Length) is read, not taken as empty; one over the limit
is refused with 413; a server that cannot de-chunk gets a clear 411."""

import json

import pytest
import requests
from django.test import RequestFactory

from tests.servers import gunicorn_server, manage

SEED = """
from django.contrib.auth import get_user_model
from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
user = get_user_model().objects.create_user("chunky")
print(issue_api_key(owner=user, name="script", access=ApiKey.WRITE).plaintext)
"""


@pytest.fixture
def server_and_key(server_env_with_redis, tmp_path):
    env = server_env_with_redis
    manage(env, "migrate", "-v0")
    key = manage(env, "shell", "--no-imports", "-c", SEED).stdout.strip().splitlines()[-1]
    with gunicorn_server(env, tmp_path / "gunicorn.log") as base:
        yield base, {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def post_chunked(base, headers, body: dict):
    """POST `body` as JSON in 1,000-byte chunks: no Content-Length, Transfer-Encoding: chunked."""
    raw = json.dumps(body).encode()
    chunks = (raw[start : start + 1000] for start in range(0, len(raw), 1000))
    return requests.post(f"{base}/api/projects", data=chunks, headers=headers, timeout=10)


def test_a_chunked_json_body_is_read(server_and_key):
    base, headers = server_and_key
    response = post_chunked(base, headers, {"name": "Chunked app", "description": "d" * 900})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Chunked app"
    listed = requests.get(f"{base}/api/projects", headers=headers, timeout=10).json()
    assert [project["name"] for project in listed["results"]] == ["Chunked app"]


def test_a_chunked_body_over_the_limit_is_a_413(server_and_key):
    base, headers = server_and_key
    response = post_chunked(base, headers, {"name": "Big", "description": "d" * 6_000_000})
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "request_too_large"
    assert requests.get(f"{base}/api/projects", headers=headers, timeout=10).json()["count"] == 0


def test_a_server_that_does_not_dechunk_gets_a_411():
    from sentry_manager.lib.request_guard import RequestGuardMiddleware

    request = RequestFactory().post("/api/projects", b"", content_type="application/json")
    request.META.pop("CONTENT_LENGTH", None)
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    response = RequestGuardMiddleware(lambda request: pytest.fail("the view ran"))(request)
    assert response.status_code == 411
    assert "Content-Length" in json.loads(response.content)["detail"]
