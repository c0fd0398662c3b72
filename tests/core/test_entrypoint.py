"""The image's entrypoint run for real: `web` migrates when asked and serves through gunicorn
with the production settings (hashed, compressed static files included), the HEALTHCHECK
command sees it, `worker` runs the task worker with its daily prune, and anything else runs
as given."""

import contextlib
import json
import re
import subprocess
import sys
import time

import pytest
import requests

from tests.core.deploy import ENTRYPOINT, HOST_NAME, ROOT, entrypoint, image_env
from tests.servers import free_port, stop

SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({{"
    "'debug': s.DEBUG, 'storage': s.STORAGES['staticfiles']['BACKEND'], "
    "'secure': [s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE], "
    "'proxy': s.SECURE_PROXY_SSL_HEADER}}))"
)


def get(base, path, **headers):
    return requests.get(
        f"{base}{path}", headers={"Host": HOST_NAME, **headers}, timeout=5, allow_redirects=False
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = image_env(tmp_path_factory.mktemp("image"))
    # The image's build step (Dockerfile: RUN ... collectstatic).
    result = entrypoint(env, "manage", "collectstatic", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    return env


@pytest.fixture(scope="module")
def web(env, tmp_path_factory):
    """`entrypoint.sh web` with MIGRATE_ON_START=true on a fresh database: its base URL."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("web") / "web.log"
    server_env = {
        **env,
        "MIGRATE_ON_START": "true",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(ENTRYPOINT), "web"],
            cwd="/",
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                assert process.poll() is None, log_path.read_text(errors="replace")
                with contextlib.suppress(requests.RequestException):
                    if get(base, "/healthz").status_code == 200:
                        break
                time.sleep(0.2)
            else:
                pytest.fail(f"web did not answer:\n{log_path.read_text(errors='replace')}")
            yield base, port
        finally:
            stop(process)


def test_the_image_runs_with_production_settings(env):
    without_debug = {name: value for name, value in env.items() if name != "DEBUG"}

    result = entrypoint(without_debug, "manage", "shell", "--no-imports", "-c", SHOW.format())

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "debug": False,  # the entrypoint's default
        "storage": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "secure": [True, True, True],
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_check_deploy_passes_with_the_image_settings(env):
    result = entrypoint(env, "manage", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_web_migrates_when_asked_and_answers_healthz(env, web):
    base, _port = web

    assert get(base, "/healthz").json() == {"status": "ok", "database": "ok"}
    shown = entrypoint(env, "manage", "showmigrations", "--plan")
    assert "[ ]" not in shown.stdout and "[X]" in shown.stdout


def test_web_serves_pages_with_hashed_compressed_static_files(web):
    base, _port = web

    https = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front says
    page = get(base, "/accounts/login/", **https)
    assert page.status_code == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.text).group(1)
    static = get(base, stylesheet, **https, **{"Accept-Encoding": "gzip"})

    assert static.status_code == 200
    assert static.headers["Content-Encoding"] == "gzip"
    assert "immutable" in static.headers["Cache-Control"]


def test_web_redirects_plain_http_to_https_but_not_healthz(web):
    base, _port = web

    assert get(base, "/accounts/login/").status_code == 301
    assert get(base, "/healthz").status_code == 200


def test_the_healthcheck_command_sees_the_server(env, web):
    _base, port = web

    result = subprocess.run(
        [sys.executable, "-m", "sentry_manager.deploy.healthcheck"],
        env={**env, "PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_healthcheck_command_fails_when_nothing_answers(env):
    result = subprocess.run(
        [sys.executable, "-m", "sentry_manager.deploy.healthcheck"],
        env={**env, "PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 1
    assert "refused" in result.stdout.lower()


def test_worker_runs_the_prune_task_and_queues_the_next(env, web):
    # --batch: the worker handles what is due, then exits (the image's runs for ever).
    result = entrypoint(env, "worker", "--batch", "--no-startup-delay")
    assert result.returncode == 0, result.stdout + result.stderr

    code = (
        "import json; from django_tasks_db.models import DBTaskResult; from django.utils import "
        "timezone; print(json.dumps([[r.status, round((r.run_after - timezone.now())"
        ".total_seconds() / 3600)] for r in DBTaskResult.objects.filter("
        "task_path='sentry_manager.tasks.prune_task').order_by('enqueued_at')]))"
    )
    shown = entrypoint(env, "manage", "shell", "--no-imports", "-c", code)
    runs = json.loads(shown.stdout.strip().splitlines()[-1])
    assert runs[0][0] == "SUCCESSFUL"
    assert runs[1:] == [["READY", 24]]


def test_other_commands_run_as_given(env):
    result = entrypoint(env, "sh", "-c", 'echo "DEBUG=$DEBUG in $(pwd)"')

    assert result.returncode == 0
    assert result.stdout.strip() == f"DEBUG=false in {ROOT}"
