"""Fixtures shared by every test folder."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(db):
    def make(username="alice", **extra):
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice")


@pytest.fixture
def other_user(make_user):
    return make_user("mallory")


@pytest.fixture
def browser_client(client, user):
    """A logged-in Django test client (pages)."""
    client.force_login(user)
    return client


@pytest.fixture
def api(user):
    """A JSON API client logged in with a session."""
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def make_project(user):
    from projects.services import create_project

    def make(name="My App", owner=None, **extra):
        return create_project(owner=owner or user, name=name, **extra)

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default PBKDF2 work factor costs ~0.3 s per user; tests need no such protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sentry_ingest(httpserver):
    """A local Sentry ingest (envelopes at /api/42/envelope/) for the real sentry-sdk."""
    from tests.fakes.sentry_ingest import SentryIngest

    return SentryIngest(httpserver, project_id=42)


@pytest.fixture
def sentry_on(settings, sentry_ingest):
    """The real sentry-sdk, initialised by the app's own code, sending to the local ingest."""
    from sentry_manager import monitoring
    from tests.fakes.sentry_ingest import reset_sentry

    settings.APP_SENTRY_DSN = sentry_ingest.dsn
    settings.APP_SENTRY_ENVIRONMENT = "staging-eu"
    settings.APP_SENTRY_RELEASE = "sentry-manager@9.9.9+test"
    settings.APP_SENTRY_TRACES_SAMPLE_RATE = 1.0
    assert monitoring.init_sentry() is True
    yield sentry_ingest
    reset_sentry()


@pytest.fixture(autouse=True)
def no_sentry_left_behind():
    import sentry_sdk

    from tests.fakes.sentry_ingest import reset_sentry

    yield
    if sentry_sdk.get_client().is_active():
        reset_sentry()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: failure counts and throttles of one test (all
    from 127.0.0.1) must not refuse the next one's requests."""
    from django.core.cache import cache

    from sentry_manager.lib.counters import tally

    tally.discard()
    cache.clear()


@pytest.fixture(autouse=True)
def loopback_servers_allowed(settings):
    """The fake Sentry and OpenAI servers listen on 127.0.0.1: allowed as an operator would
    allow a private server. Tests of the refusal switch this off."""
    settings.OUTBOUND_ALLOWED_HOSTS = []
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]


@pytest.fixture(autouse=True)
def no_real_llm(settings):
    """Never reach OpenAI: no key (the built-in analysis) unless a test starts the fake."""
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"


@pytest.fixture
def redis_db():
    """The Redis database multi-process tests share, empty before and after the test."""
    import redis

    from tests.servers import REDIS_URL

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"This test needs Redis at {REDIS_URL} (a cache shared by processes): {error}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def server_env_with_redis(tmp_path, redis_db):
    """Environment for server processes sharing a fresh SQLite file and the Redis cache."""
    from tests.servers import REDIS_URL, server_env

    return server_env(f"sqlite:///{tmp_path}/servers.sqlite3", REDIS_URL)


@pytest.fixture
def two_servers(server_env, api_key, tmp_path):
    """Two gunicorn servers on loopback sharing the database and Redis of `server_env` (a
    fixture of the test module, as is `api_key`, which seeds the database first)."""
    from tests.servers import gunicorn_servers

    with gunicorn_servers(server_env, tmp_path) as bases:
        yield bases


@pytest.fixture
def migrate(transactional_db):
    """`migrate(targets)` moves the database to those migrations and returns the apps of that
    state (for data migration tests); the latest schema is restored afterwards."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def to(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
