"""sentry_manager.lib.counters: counters written in batches, several in one round trip."""

import os
import time

import pytest
import redis.connection
from django.core.cache import cache, caches

from sentry_manager.lib import counters
from sentry_manager.lib.counters import Tally
from tests.servers import REDIS_URL

REDIS_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}


@pytest.fixture
def redis_cache(redis_db, settings):
    """The default cache on the Redis database of multi-process tests: the raw client."""
    settings.CACHES = {"default": REDIS_CACHE}
    return redis_db


@pytest.fixture(params=["locmem", "redis"])
def backend(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    yield request.param
    caches["default"].clear()


@pytest.fixture
def round_trips(monkeypatch):
    """The commands redis-py sends (each send is one round trip), as they are sent."""
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, command, *args, **kwargs):
        sent.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    return sent


def test_counters_start_at_their_increment_and_count_up_together(backend):
    assert counters.increment({"a": 60, "b": 60}) == [1, 1]
    assert counters.increment({"a": 60, "b": 60}, {"b": 5}) == [2, 6]
    assert counters.increment({"b": 60}) == [7]


def test_the_cache_reads_a_counter_back_as_an_integer(backend):
    counters.increment({"hits": 60}, {"hits": 2})
    assert cache.get("hits") == 2
    cache.incr("hits")  # and Django's own increment goes on from it
    assert counters.increment({"hits": 60}) == [4]


def test_a_counter_lives_as_long_as_asked_from_its_creation(redis_cache):
    counters.increment({"short": 5, "long": 3600})
    counters.increment({"short": 5, "long": 3600})
    assert 0 < redis_cache.ttl(cache.make_key("short")) <= 5
    assert 3500 < redis_cache.ttl(cache.make_key("long")) <= 3600


def test_counts_below_the_batch_wait_in_the_process_and_are_estimated(backend):
    tally = Tally()
    assert [tally.add("uses", 60, batch=3) for _ in range(2)] == [1, 2]
    assert cache.get("uses") is None
    assert tally.add("uses", 60, batch=3) == 3  # the batch is full: written
    assert cache.get("uses") == 3


def test_a_full_batch_writes_every_waiting_count_in_one_round_trip(redis_cache, round_trips):
    counters.increment({"warm": 60})  # the connection is opened (its handshake sent)
    round_trips.clear()
    tally = Tally()
    tally.add("other", 60, batch=100)
    tally.add("uses", 60, batch=2)
    assert round_trips == []
    tally.add("uses", 60, batch=2)
    assert len(round_trips) == 1
    assert (cache.get("uses"), cache.get("other")) == (2, 1)


def test_a_quiet_process_writes_its_counts_within_a_second(backend):
    tally = Tally()
    tally.add("uses", 60, batch=100)
    tally.add("uses", 60, batch=100)
    time.sleep(Tally.MAX_AGE + 0.5)
    assert cache.get("uses") == 2


def test_a_busy_process_writes_counts_a_second_old_with_the_next_one(backend):
    tally = Tally()
    tally.add("uses", 60, batch=100)
    tally._timer.cancel()  # as if the timer had not come round yet
    tally._oldest -= Tally.MAX_AGE
    assert tally.add("uses", 60, batch=100) == 2
    assert cache.get("uses") == 2


def test_the_estimate_includes_what_other_processes_wrote(backend):
    node_a, node_b = Tally(), Tally()
    for _ in range(5):
        node_a.add("rate", 60, batch=1)
    assert node_b.add("rate", 60, batch=1) == 6
    assert node_a.add("rate", 60, batch=1) == 7


def test_counts_are_kept_while_the_cache_is_down(settings):
    settings.CACHES = {"default": {**REDIS_CACHE, "LOCATION": "redis://127.0.0.1:9/0"}}
    tally = Tally()
    with pytest.raises(redis.exceptions.ConnectionError):
        tally.add("uses", 60, batch=1)
    assert tally._pending == {"uses": 1}


# The test process has threads (the tally's timer among them), as a gunicorn master may.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_process_starts_with_no_counts_of_its_parent(backend):
    counters.tally.add("uses", 60, batch=100)
    child = os.fork()
    if child == 0:  # the child: nothing pending, and it counts from scratch
        ok = counters.tally._pending == {} and counters.tally.add("uses", 60, batch=100) == 1
        os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert counters.tally._pending == {"uses": 1}  # the parent keeps its own


def _config_request(client, make_project, user):
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
    return lambda: client.get(url, headers={"Authorization": f"Bearer {key}"}), key


def test_a_busy_config_endpoint_counts_without_a_round_trip_per_request(
    redis_cache, client, make_project, user, settings, round_trips
):
    settings.CONFIG_ENDPOINT_RATE_PER_MINUTE = 100_000  # a batch of 100 requests a process
    get, key = _config_request(client, make_project, user)
    assert get().status_code == 200  # the first of a minute: last_used_at written
    round_trips.clear()
    for _ in range(20):
        assert get().status_code == 200
    assert round_trips == []
    time.sleep(Tally.MAX_AGE + 0.5)
    hour = time.strftime("%Y%m%d%H", time.gmtime())
    assert redis_cache.get(cache.make_key(f"usage:{key.split('_')[1]}:{hour}:ok")) == b"21"


def test_a_small_rate_is_counted_exactly_on_every_request(
    redis_cache, client, make_project, user, settings, round_trips
):
    settings.CONFIG_ENDPOINT_RATE_PER_MINUTE = 50  # a batch of one
    get, _key = _config_request(client, make_project, user)
    assert get().status_code == 200
    round_trips.clear()
    assert get().status_code == 200
    assert len(round_trips) == 1
