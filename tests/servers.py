"""Real server processes for tests and the bench: a seeded database and gunicorn on loopback."""

import base64
import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# The Redis database that multi-process tests share (flushed by them): TEST_REDIS_DB lets two
# checkouts run their suites at once on one machine.
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('TEST_REDIS_DB', '7')}"

SEED = """
from django.contrib.auth import get_user_model
from projects.keys.services import issue_api_key
from projects.services import create_project
from integrations.services import create_integration
user = get_user_model().objects.create_user({username!r})
project = create_project(owner=user, name={slug!r}, slug={slug!r}, environment="production")
create_integration(project=project, environment="production", dsn={dsn!r}, org={org!r},
    sentry_project={sentry_project!r})
print(issue_api_key(owner=user, name={slug!r}, project=project).plaintext)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


def seed_project_with_key(env: dict, *, slug: str, dsn: str, org: str, sentry_project: str):
    """Migrate the database `env` points at, add a project with a production integration and
    return the plaintext of an API key restricted to it."""
    manage(env, "migrate", "-v0")
    code = SEED.format(username=slug, slug=slug, dsn=dsn, org=org, sentry_project=sentry_project)
    return manage(env, "shell", "--no-imports", "-c", code).stdout.strip().splitlines()[-1]


def start_gunicorn(env: dict, port: int, workers: int = 1, **popen) -> subprocess.Popen:
    command = [PYTHON, "-m", "gunicorn", "sentry_manager.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env, **popen)


def server_env(database_url: str, cache_url: str, **extra: str) -> dict:
    """The environment of a production-like server process (DEBUG off, fresh secrets); nothing
    from the developer's shell may point it elsewhere."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("APP_SENTRY_", "SENTRY_", "DATABASE_", "CACHE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sentry_manager.settings",
            "ENV_FILE": "/nonexistent",
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ENCRYPTION_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url,
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


def start_db_worker(
    env: dict, log_path: Path, *, worker_id: str | None = None, interval: float = 0.2
) -> subprocess.Popen:
    """A real `manage.py db_worker` in a session of its own (so that `kill_now` can SIGKILL it
    and whatever it started), logging to `log_path`."""
    command = [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
    command += ["--interval", str(interval)]
    if worker_id:
        command += ["--worker-id", worker_id]
    with open(log_path, "ab") as log:  # the child keeps its own descriptor
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def kill_now(process: subprocess.Popen) -> None:
    """SIGKILL to the process group of a process started in a new session (a crash: nothing
    of the process runs after it)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL to the process group of a process started in a new session."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until_answering(process, base: str, log_path: Path, path="/healthz", ok=(200,)) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log_path.read_text(errors="replace")
            raise RuntimeError(f"server at {base} exited with {process.returncode}:\n{output}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{base}{path}", timeout=1).status_code in ok:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server at {base} did not answer {path} within 30 s")


@contextlib.contextmanager
def gunicorn_server(env: dict, log_path: Path, *, path="/healthz", ok=(200,), workers=1):
    """A gunicorn server on a free port, answering `path` with a status in `ok`: its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = start_gunicorn(
            env, port, workers, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_until_answering(process, base, log_path, path, ok)
            yield base
        finally:
            stop(process)


def wait_for_a_fresh_minute() -> None:
    """Throttle windows are calendar minutes: keep a test's requests inside one."""
    second = time.time() % 60
    if second > 45:
        time.sleep(60 - second + 0.2)


@contextlib.contextmanager
def gunicorn_servers(env: dict, log_dir: Path, count: int = 2, workers: int = 1):
    """`count` separate gunicorn servers (as nodes behind a load balancer): their base URLs."""
    with contextlib.ExitStack() as stack:
        yield [
            stack.enter_context(
                gunicorn_server(env, log_dir / f"gunicorn-{index}.log", workers=workers)
            )
            for index in range(count)
        ]


def log_in(base: str, username: str, password: str) -> requests.Response:
    """POST the login form of the server at `base` as a browser would (its CSRF token and
    cookie first); the answer, redirects not followed."""
    page = requests.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return requests.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        cookies={"csrftoken": page.cookies["csrftoken"]},  # a Secure cookie, sent by hand
        allow_redirects=False,
        timeout=10,
    )
