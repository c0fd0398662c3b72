"""The per-key throttle of the config endpoint and the failed-login and failed-key limits
count across both nodes: requests alternate A, B, A, ... and the limit is reached at the total,
when neither node alone has seen that many."""

import time

import pytest
import requests

from tests.servers import log_in, wait_for_a_fresh_minute

from .conftest import PASSWORD

RATE = 5
LOGIN_LIMIT = 3
KEY_LIMIT = 4
CLUSTER_SETTINGS = {
    "CONFIG_ENDPOINT_RATE_PER_MINUTE": str(RATE),
    "LOGIN_FAILURES_PER_ACCOUNT": str(LOGIN_LIMIT),
    "LOGIN_FAILURES_PER_IP": "100",
    "LOGIN_FAILURE_WINDOW_SECONDS": "60",
    "API_KEY_FAILURES_PER_IP": str(KEY_LIMIT),
    "API_KEY_FAILURE_WINDOW_SECONDS": "60",
}


@pytest.fixture
def one_minute(cluster):
    """Counters start from nothing, and the test's requests fall in one calendar minute (the
    limits' window)."""
    cluster.redis.flushdb()
    wait_for_a_fresh_minute()
    started = int(time.time() // 60)
    yield
    assert int(time.time() // 60) == started, "the minute changed during the test"


def get_config(base: str, world: dict, key: str | None = None) -> requests.Response:
    return requests.get(
        f"{base}/api/integrations/sentry/{world['slug']}",
        params={"environment": "production"},
        headers={"Authorization": f"Bearer {key or world['configKey']}"},
        timeout=10,
    )


def test_the_per_key_rate_counts_requests_to_both_nodes(cluster, world, one_minute):
    node_a, node_b = cluster.nodes
    for number in range(RATE):  # A, B, A, B, A: each node alone has seen fewer than RATE
        answer = get_config(cluster.nodes[number % 2], world)
        assert answer.status_code == 200, (number, answer.text)

    for base in (node_b, node_a):  # B has answered two, A three: both refuse now
        answer = get_config(base, world)
        assert answer.status_code == 429, (base, answer.text)
        assert answer.json()["code"] == "throttled"
        assert f"limit {RATE} a minute" in answer.json()["detail"]
        assert 1 <= int(answer.headers["Retry-After"]) <= 61
    counters = [key for key in cluster.redis.keys("*") if b"config-rate:" in key]
    assert [int(cluster.redis.get(key)) for key in counters] == [RATE + 2]


def test_failed_logins_on_both_nodes_lock_the_account_on_both(cluster, world, one_minute):
    node_a, node_b = cluster.nodes
    for number in range(LOGIN_LIMIT):  # A, B, A: neither node alone saw three
        answer = log_in(cluster.nodes[number % 2], world["username"], "wrong password")
        assert answer.status_code == 200 and "correct username" in answer.text

    for base in (node_b, node_a):
        answer = log_in(base, world["username"], PASSWORD)
        assert answer.status_code == 200, "the right password did not log in"
        assert "Too many failed logins for this account. Try again in" in answer.text


def test_failed_keys_on_both_nodes_get_429_on_both(cluster, world, one_minute):
    node_a, node_b = cluster.nodes
    bad = "smk_madeup0000_notasecret"
    answers = [get_config(cluster.nodes[n % 2], world, bad) for n in range(KEY_LIMIT + 2)]
    assert [answer.status_code for answer in answers] == [401] * (KEY_LIMIT - 1) + [429] * 3
    for answer in answers[KEY_LIMIT - 1 :]:
        assert answer.json()["code"] == "throttled"
        assert 1 <= int(answer.headers["Retry-After"]) <= 61

    # A valid key from the same address is not slowed down, on either node.
    assert get_config(node_a, world).status_code == 200
    assert get_config(node_b, world).status_code == 200
