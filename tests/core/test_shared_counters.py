"""sentry_manager.lib.counters: several counters in one round trip, on Redis and locally."""

import time

import pytest
import redis.connection
from django.core.cache import cache, caches

from sentry_manager.lib import counters
from tests.servers import REDIS_URL


@pytest.fixture
def redis_cache(redis_db, settings):
    """The default cache on the Redis database of multi-process tests: the raw client."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    return redis_db


@pytest.fixture(params=["locmem", "redis"])
def backend(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    yield request.param
    caches["default"].clear()


def test_counters_start_at_one_and_count_up_together(backend):
    assert counters.increment({"a": 60, "b": 60}) == [1, 1]
    assert counters.increment({"a": 60, "b": 60}) == [2, 2]
    assert counters.increment({"b": 60}) == [3]


def test_the_cache_reads_a_counter_back_as_an_integer(backend):
    counters.increment({"hits": 60})
    counters.increment({"hits": 60})
    assert cache.get("hits") == 2
    cache.incr("hits")  # and Django's own increment goes on from it
    assert counters.increment({"hits": 60}) == [4]


def test_a_counter_lives_as_long_as_asked_from_its_creation(redis_cache):
    counters.increment({"short": 5, "long": 3600})
    counters.increment({"short": 5, "long": 3600})
    assert 0 < redis_cache.ttl(cache.make_key("short")) <= 5
    assert 3500 < redis_cache.ttl(cache.make_key("long")) <= 3600


def test_a_config_request_costs_one_round_trip_to_redis(
    redis_cache, client, make_project, user, monkeypatch
):
    from integrations.services import create_integration
    from projects.keys.services import issue_api_key

    project = make_project(name="Shop")
    create_integration(
        project=project,
        environment="production",
        dsn="https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1",
        org="acme",
        sentry_project="shop",
    )
    key = issue_api_key(owner=user, name="shop", project=project).plaintext
    url = f"/api/integrations/sentry/{project.slug}?environment=production"
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get(url, headers=headers).status_code == 200  # opens the key's minute
    # Every round trip redis-py makes goes through send_packed_command: count them.
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, command, *args, **kwargs):
        sent.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert len(sent) == 1, sent
    assert redis_cache.get(cache.make_key(f"usage:{key.split('_')[1]}:{_hour()}:ok")) == b"2"


def _hour() -> str:
    return time.strftime("%Y%m%d%H", time.gmtime())
