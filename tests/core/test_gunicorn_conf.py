"""sentry_manager/gunicorn_conf.py: workers from the CPU count, where it listens, and an access
log (real gunicorn) that never holds a query string, an API key or a cookie."""

import json
import os
import subprocess
import sys
import time

import pytest
import requests

from tests.core.deploy import ROOT, image_env
from tests.servers import free_port, stop

SECRET_KEY_HEADER = "Bearer smk_abcdefgh_0123456789abcdefghijklmnopqrstuvwxyz"
SHOW = (
    "import json, os; import sentry_manager.gunicorn_conf as c; print(json.dumps({'workers': "
    "c.workers, 'bind': c.bind, 'timeout': c.timeout, 'max_requests': c.max_requests, "
    "'cpus': len(os.sched_getaffinity(0))}))"
)


def config(**variables):
    env = {"PATH": os.environ["PATH"], "ENV_FILE": "/nonexistent", **variables}
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_workers_default_to_twice_the_cpus_plus_one_at_most_twelve():
    shown = config()
    assert shown["workers"] == min(2 * shown["cpus"] + 1, 12)


def test_web_concurrency_sets_the_workers():
    assert config(WEB_CONCURRENCY="3")["workers"] == 3


def test_it_listens_where_host_and_port_say():
    assert config()["bind"] == ["0.0.0.0:8000"]
    assert config(HOST="127.0.0.1", PORT="9001")["bind"] == ["127.0.0.1:9001"]


def test_timeouts_and_worker_recycling_have_production_defaults():
    shown = config()
    assert (shown["timeout"], shown["max_requests"]) == (30, 1000)


def test_a_bad_number_stops_with_the_variable_named():
    env = {"PATH": os.environ["PATH"], "ENV_FILE": "/nonexistent", "WEB_CONCURRENCY": "many"}
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "WEB_CONCURRENCY='many' is not a whole number." in result.stderr


def serve_and_log(tmp_path, **extra):
    """Start `gunicorn -c python:sentry_manager.gunicorn_conf`, make requests carrying secrets
    in their query strings and headers, stop it: everything it wrote."""
    port = free_port()
    env = image_env(
        tmp_path,
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        STATICFILES_MANIFEST="false",  # no collectstatic here (test_entrypoint.py has it)
        **extra,
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "gunicorn.log"
    command = ["gunicorn", "-c", "python:sentry_manager.gunicorn_conf", "sentry_manager.wsgi"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            headers = {
                "Host": "sentry-manager.example.com",
                "X-Forwarded-Proto": "https",
                "Authorization": SECRET_KEY_HEADER,
                "Cookie": "sessionid=cookie-secret-value",
                "Referer": "https://app.example.com/page?referer_token=leaked",
            }
            deadline = time.monotonic() + 30
            while True:
                try:
                    response = requests.get(
                        f"{base}/api/integrations/sentry/shop?environment=production&token=x",
                        headers=headers,
                        timeout=5,
                    )
                    break
                except requests.ConnectionError:
                    assert time.monotonic() < deadline, log_path.read_text()
                    time.sleep(0.1)
            assert response.status_code == 401
            requests.get(f"{base}/api/x%0Aforged%20line?q=1", headers=headers, timeout=5)
        finally:
            stop(process)
    return log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def access_log(tmp_path_factory):
    return serve_and_log(tmp_path_factory.mktemp("gunicorn"))


def test_the_access_log_has_method_path_and_status(access_log):
    assert '"GET /api/integrations/sentry/shop HTTP/1.1" 401 ' in access_log


def test_the_access_log_has_no_query_string(access_log):
    assert "environment=production" not in access_log
    assert "token=x" not in access_log
    assert "referer_token" not in access_log


def test_the_access_log_has_no_key_and_no_cookie(access_log):
    assert "smk_" not in access_log
    assert "Bearer" not in access_log
    assert "cookie-secret-value" not in access_log


def test_a_newline_in_the_path_cannot_forge_a_log_line(access_log):
    assert '"GET /api/x\\x0aforged line HTTP/1.1" 404 ' in access_log
    assert not any(line.startswith("forged") for line in access_log.splitlines())


def test_no_other_log_format_can_bring_them_back(tmp_path):
    # An operator asking gunicorn for the request line, the query and the headers.
    wanted = "%(r)s %(q)s %({authorization}i)s %({cookie}i)s %({query_string}e)s %(f)s"
    log = serve_and_log(tmp_path, GUNICORN_CMD_ARGS=f"--access-logformat '{wanted}'")

    assert "GET /api/integrations/sentry/shop HTTP/1.1" in log
    assert "token=x" not in log and "smk_" not in log and "cookie-secret-value" not in log
