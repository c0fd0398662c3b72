"""The config endpoint's per-key throttle holds across processes that share a Redis cache.

Two separate gunicorn servers (as two nodes behind a load balancer) share one SQLite file and
one Redis database; requests alternate between them and the limit counts them all.
"""

import time

import pytest
import requests

from tests.servers import seed_project_with_key, wait_for_a_fresh_minute

LIMIT = 5


@pytest.fixture
def server_env(server_env_with_redis):
    server_env_with_redis["CONFIG_ENDPOINT_RATE_PER_MINUTE"] = str(LIMIT)
    return server_env_with_redis


@pytest.fixture
def api_key(server_env):
    return seed_project_with_key(
        server_env,
        slug="shop",
        dsn="https://abc@o1.ingest.sentry.io/2",
        org="acme",
        sentry_project="shop",
    )


def get_config(base: str, key: str) -> requests.Response:
    return requests.get(
        f"{base}/api/integrations/sentry/shop",
        params={"environment": "production"},
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )


def test_limit_counts_requests_to_both_servers_together(two_servers, api_key, redis_db):
    server_a, server_b = two_servers
    wait_for_a_fresh_minute()
    started_minute = int(time.time() // 60)

    # Five requests alternating A, B, A, B, A: each server alone has seen fewer than the limit.
    for number in range(LIMIT):
        base = two_servers[number % 2]
        response = get_config(base, api_key)
        assert response.status_code == 200, (number, base, response.text)
        assert response.json()["environment"] == "production"
        assert "Retry-After" not in response.headers

    # The sixth, on B (which has answered only two), and a seventh on A: both throttled.
    for base in (server_b, server_a):
        response = get_config(base, api_key)
        assert response.status_code == 429, (base, response.text)
        body = response.json()
        assert body["code"] == "throttled"
        assert f"limit {LIMIT} a minute" in body["detail"]
        retry_after = int(response.headers["Retry-After"])
        assert 1 <= retry_after <= 61
        seconds_left = 60 - time.time() % 60
        assert retry_after >= seconds_left - 1
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Type"] == "application/json"

    assert int(time.time() // 60) == started_minute, "the minute changed during the test"
    # The count lives in the shared Redis database, not in either process.
    counters = [key for key in redis_db.keys("*") if b"config-rate:" in key]
    assert len(counters) == 1, counters
    assert int(redis_db.get(counters[0])) == LIMIT + 2
    assert 0 < redis_db.ttl(counters[0]) <= 61
