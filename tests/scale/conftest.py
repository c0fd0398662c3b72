"""Fixtures of the multi-node tests (`make test-scale`): PostgreSQL and Redis must be running.

The database is SCALE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
sentry_manager_scale), dropped and created for the run, migrated once and dropped at the end;
the cache is Redis database TEST_REDIS_DB (7 by default), emptied before and after each
module. Each module gets its own cluster — two gunicorn nodes and two db_workers — started
with the module's `CLUSTER_SETTINGS` (environment variables, e.g. a throttle), and its own
user, project, integration and keys (`world`), so modules share nothing but the schema.
"""

import pytest
from pytest_httpserver import HTTPServer

from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.sentry_server import TOKEN, FakeSentry
from tests.servers import REDIS_URL, manage, server_env

from .cluster import (
    Cluster,
    Unreachable,
    database_url,
    drop_database,
    recreate_database,
    shared_redis,
)

PASSWORD = "correct horse battery staple"
DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42"
# The explainer's settings in every cluster: the fake servers listen on loopback, and a worker
# that stops writing its heartbeat for 3 s is declared dead.
EXPLAINER_SETTINGS = {
    "OPENAI_API_KEY": "sk-test-" + "x" * 24,
    "OPENAI_MODEL": "gpt-4o-mini",
    "OPENAI_TIMEOUT": "60",
    "OUTBOUND_ALLOWED_NETWORKS": "127.0.0.0/8",
    "EXPLANATION_HEARTBEAT_TIMEOUT": "3",
    "SENTRY_API_CACHE_SECONDS": "0",
}

SEED = """
import json
from django.contrib.auth import get_user_model
from integrations.services import create_integration
from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
from projects.services import create_project
user = get_user_model().objects.create_user({name!r}, password={password!r})
project = create_project(owner=user, name={name!r}, slug={name!r}, environment="production")
create_integration(project=project, environment="production", dsn={dsn!r}, org="acme",
    sentry_project="backend", auth_token={token!r}, api_base_url={sentry!r})
config = issue_api_key(owner=user, name="app", project=project)
write = issue_api_key(owner=user, name="script", access=ApiKey.WRITE)
print(json.dumps({{"username": user.username, "slug": project.slug, "project": str(project.pk),
    "configKey": config.plaintext, "configKeyId": str(config.api_key.pk),
    "writeKey": write.plaintext}}))
"""


def _fail_if_unreachable(action):
    try:
        return action()
    except (Unreachable, ValueError) as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def scale_database():
    """The migrated PostgreSQL database of the run (its URL)."""
    url = database_url()
    _fail_if_unreachable(lambda: recreate_database(url))
    manage(server_env(url, REDIS_URL), "migrate", "-v0")
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def fake_servers():
    """A fake OpenAI and a fake Sentry web API, each on a threaded server (two workers call
    them at once)."""
    servers = [HTTPServer(host="127.0.0.1", port=0, threaded=True) for _ in range(2)]
    for server in servers:
        server.start()
    try:
        yield FakeOpenAI().install(servers[0]), FakeSentry().install(servers[1])
    finally:
        for server in servers:
            server.clear()
            server.stop()


@pytest.fixture(scope="module")
def fake_openai(fake_servers):
    return fake_servers[0]


@pytest.fixture(scope="module")
def fake_sentry(fake_servers):
    return fake_servers[1]


@pytest.fixture(scope="module")
def cluster(request, scale_database, fake_openai, tmp_path_factory):
    """Node A and node B (gunicorn) and two db_workers on the run's database and Redis."""
    redis_client = _fail_if_unreachable(shared_redis)
    settings = {
        **EXPLAINER_SETTINGS,
        "OPENAI_BASE_URL": fake_openai.base_url,
        **getattr(request.module, "CLUSTER_SETTINGS", {}),
    }
    log_dir = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    running = Cluster(scale_database, redis_client, log_dir, **settings)
    running.start(web_workers=getattr(request.module, "WEB_WORKERS", 1))
    yield running
    running.stop()
    redis_client.flushdb()
    redis_client.close()


@pytest.fixture(scope="module")
def world(request, cluster, fake_sentry) -> dict:
    """This module's user (PASSWORD), project with a production integration reading the fake
    Sentry, a config key restricted to the project and an unrestricted write key."""
    name = "scale-" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    code = SEED.format(
        name=name.replace("_", "-"),
        password=PASSWORD,
        dsn=DSN,
        token=TOKEN,
        sentry=fake_sentry.base_url.rstrip("/"),
    )
    return cluster.shell(code)


@pytest.fixture(autouse=True)
def show_logs_on_failure(request, cluster):
    """The nodes' and workers' logs in the report of a failed test."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(cluster.logs())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
