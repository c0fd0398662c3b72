"""Two web nodes and two task workers on one PostgreSQL database and one Redis cache.

`Cluster` starts two gunicorn servers on two loopback ports (node A and node B, as behind a
load balancer) and two `manage.py db_worker` processes, all with the same environment, and
reads the database straight from the test process (looking through the app would sweep
running explanations, or count as a use of a key).
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

from tests.servers import (
    REDIS_URL,
    free_port,
    kill_now,
    manage,
    server_env,
    start_db_worker,
    start_gunicorn,
    wait_until_answering,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sentry_manager_scale"
# Databases the scale tests never drop, whatever SCALE_DATABASE_URL says: CI's own suite runs
# on `test`, and the others belong to the server.
PROTECTED = {"test", "postgres", "template0", "template1"}
WORKER_IDS = ("worker-a", "worker-b")


class Unreachable(Exception):
    """PostgreSQL or Redis is not there: the message says what to start."""


def database_url() -> str:
    return os.environ.get("SCALE_DATABASE_URL", DEFAULT_DATABASE_URL)


def _server_url(url: str) -> tuple[str, str]:
    """(the name of the database in `url`, the URL of the server's `postgres` database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in PROTECTED or not name.replace("_", "").isalnum():
        raise ValueError(
            f"SCALE_DATABASE_URL names the database {name!r}, which the scale tests would drop; "
            "name one of their own, e.g. sentry_manager_scale."
        )
    return name, urlunsplit(parts._replace(path="/postgres"))


def recreate_database(url: str) -> None:
    """Drop and create the database `url` names (it belongs to the scale tests)."""
    name, server = _server_url(url)
    try:
        connection = psycopg.connect(server, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise Unreachable(
            f"The scale tests need PostgreSQL at {server.rsplit('/', 1)[0]} "
            f"(SCALE_DATABASE_URL={url}): {error}".strip()
        ) from error
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name, server = _server_url(url)
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def shared_redis() -> redis.Redis:
    """The Redis database the nodes share (TEST_REDIS_DB), emptied."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        raise Unreachable(f"The scale tests need Redis at {REDIS_URL}: {error}") from error
    client.flushdb()
    return client


def wait_for(condition, seconds: float, what: str):
    """The first true value of `condition()` within `seconds`; AssertionError after."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


class Cluster:
    def __init__(self, database: str, redis_client: redis.Redis, log_dir: Path, **settings: str):
        self.database = database
        self.redis = redis_client
        self.log_dir = log_dir
        self.env = server_env(database, REDIS_URL, **settings)
        self.nodes: list[str] = []  # base URLs of node A and node B
        self.processes: list[subprocess.Popen] = []  # the nodes' gunicorn masters
        self.workers: dict[str, subprocess.Popen] = {}
        self._db = None

    # --- processes ----------------------------------------------------------------------

    def start(self, web_workers: int = 1) -> "Cluster":
        try:
            for name in ("a", "b"):
                port = free_port()
                log = self.log_dir / f"node-{name}.log"
                with open(log, "wb") as output:
                    self.processes.append(
                        start_gunicorn(
                            self.env,
                            port,
                            web_workers,
                            stdout=output,
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        )
                    )
                self.nodes.append(f"http://127.0.0.1:{port}")
            for process, base, name in zip(self.processes, self.nodes, "ab", strict=True):
                wait_until_answering(process, base, self.log_dir / f"node-{name}.log")
            for worker_id in WORKER_IDS:
                self.start_worker(worker_id)
        except BaseException:
            self.stop()
            raise
        return self

    def start_worker(self, worker_id: str) -> None:
        log = self.log_dir / f"{worker_id}.log"
        self.workers[worker_id] = start_db_worker(self.env, log, worker_id=worker_id)
        wait_for(
            lambda: (
                "Starting worker" in log.read_text(errors="replace")
                or self.workers[worker_id].poll() is not None
            ),
            30,
            f"{worker_id} to start",
        )
        if self.workers[worker_id].poll() is not None:
            raise RuntimeError(f"{worker_id} exited:\n{log.read_text(errors='replace')}")

    def kill_worker(self, worker_id: str) -> None:
        kill_now(self.workers[worker_id])

    def stop(self) -> None:
        """SIGTERM to every process at once, then SIGKILL to any still running after 20 s."""
        processes = [*self.processes, *self.workers.values()]
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                kill_now(process)
        if self._db is not None:
            self._db.close()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.log_dir.glob("*.log"))
        )

    # --- data ---------------------------------------------------------------------------

    def shell(self, code: str) -> dict:
        """Run `code` in `manage.py shell` on the shared database; the JSON of its last line."""
        output = manage(self.env, "shell", "--no-imports", "-c", code).stdout
        return json.loads(output.strip().splitlines()[-1])

    def sql(self, query: str, *params) -> list[tuple]:
        """Rows of a query on the shared database, read by the test itself."""
        if self._db is None:
            self._db = psycopg.connect(self.database, autocommit=True)
        return self._db.execute(query, params).fetchall()

    def task_runs(self, task: str, explanation_id: str) -> list[tuple]:
        """(status, worker ids, return value) of each `explainer.tasks.<task>` result for one
        explanation, as the django-tasks-db queue recorded them."""
        return self.sql(
            "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = %s AND args_kwargs -> 'args' ->> 0 = %s ORDER BY enqueued_at",
            f"explainer.tasks.{task}",
            explanation_id,
        )
