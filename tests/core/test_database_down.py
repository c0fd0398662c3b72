"""With the database down, a real server answers 503: the API and the config endpoint in the
API's JSON shape (`database_unavailable`), pages with a plain page, /healthz without telling
anonymous callers where the database is."""

import pytest
import requests

from tests.servers import gunicorn_server, server_env

DEAD_DATABASES = {
    # Nothing listens on port 1: every connection is refused.
    "postgresql": "postgres://sentry:hunter2@127.0.0.1:1/sentry_manager",
    "sqlite": "sqlite:////nonexistent-directory/db.sqlite3",
}


@pytest.fixture(params=sorted(DEAD_DATABASES), scope="module")
def server(request, tmp_path_factory):
    log = tmp_path_factory.mktemp("db-down") / "gunicorn.log"
    env = server_env(DEAD_DATABASES[request.param], "locmemcache://")
    with gunicorn_server(env, log, ok=(503,)) as base:
        yield base


def test_healthz_is_503_without_connection_details(server):
    response = requests.get(f"{server}/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    for secret in ("127.0.0.1", "port 1", "hunter2", "nonexistent-directory", "sentry"):
        assert secret not in response.text


@pytest.mark.parametrize(
    "path", ["/api/projects", "/api/integrations/sentry/shop?environment=production"]
)
def test_the_api_answers_503_json(server, path):
    response = requests.get(
        f"{server}{path}", headers={"Authorization": "Bearer smk_abc_def"}, timeout=10
    )
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert "Try again" in body["detail"] and "127.0.0.1" not in body["detail"]


def test_a_page_answers_a_plain_503_page(server):
    response = requests.get(
        f"{server}/projects", cookies={"sessionid": "x" * 32}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "unavailable" in response.text and "127.0.0.1" not in response.text
