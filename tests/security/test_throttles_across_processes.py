"""The failed-login and failed-key limits hold across processes that share the Redis cache:
two gunicorn servers (two nodes behind a load balancer), requests alternating between them."""

import time

import pytest
import requests

from tests import servers
from tests.servers import gunicorn_servers, manage, wait_for_a_fresh_minute

PASSWORD = "correct horse battery staple"
LOGIN_LIMIT = 3
KEY_LIMIT = 4
SEED = f"""
from django.contrib.auth import get_user_model
from projects.services import create_project
from projects.keys.services import issue_api_key
user = get_user_model().objects.create_user("alice", password={PASSWORD!r})
create_project(owner=user, name="shop", slug="shop", environment="production")
print(issue_api_key(owner=user, name="app").plaintext)
"""


@pytest.fixture
def seeded(server_env_with_redis, tmp_path):
    env = {
        **server_env_with_redis,
        "LOGIN_FAILURES_PER_ACCOUNT": str(LOGIN_LIMIT),
        "LOGIN_FAILURES_PER_IP": "100",
        "LOGIN_FAILURE_WINDOW_SECONDS": "60",
        "API_KEY_FAILURES_PER_IP": str(KEY_LIMIT),
        "API_KEY_FAILURE_WINDOW_SECONDS": "60",
        "CONFIG_ENDPOINT_RATE_PER_MINUTE": "0",
    }
    manage(env, "migrate", "-v0")
    key = manage(env, "shell", "--no-imports", "-c", SEED).stdout.strip().splitlines()[-1]
    with gunicorn_servers(env, tmp_path) as bases:
        wait_for_a_fresh_minute()
        yield bases, key


def log_in(base: str, password: str) -> requests.Response:
    return servers.log_in(base, "alice", password)


def test_failed_logins_on_either_server_lock_the_account_on_both(seeded, redis_db):
    (server_a, server_b), _key = seeded
    started = int(time.time() // 60)
    for number in range(LOGIN_LIMIT):  # A, B, A: neither server alone saw three
        response = log_in((server_a, server_b)[number % 2], "wrong password")
        assert response.status_code == 200 and "correct username" in response.text
    for base in (server_b, server_a):
        response = log_in(base, PASSWORD)
        assert response.status_code == 200, "the right password logged in"
        assert "Too many failed logins for this account. Try again in" in response.text
    assert int(time.time() // 60) == started, "the minute changed during the test"
    assert [key for key in redis_db.keys("*") if b"failures:login-account" in key]


def test_failed_keys_on_either_server_get_429_on_both(seeded):
    (server_a, server_b), valid_key = seeded
    started = int(time.time() // 60)
    bad = {"Authorization": "Bearer smk_madeup0000_notasecret"}
    urls = [f"{server_a}/api/projects", f"{server_b}/api/integrations/sentry/shop"]
    answers = [requests.get(urls[n % 2], headers=bad, timeout=10) for n in range(KEY_LIMIT + 2)]
    assert [answer.status_code for answer in answers] == [401] * (KEY_LIMIT - 1) + [429] * 3
    for answer in answers[KEY_LIMIT - 1 :]:
        assert answer.json()["code"] == "throttled"
        assert 1 <= int(answer.headers["Retry-After"]) <= 61
    good = {"Authorization": f"Bearer {valid_key}"}
    config = requests.get(urls[1], headers=good, timeout=10)
    assert config.status_code == 404  # a valid key is not slowed (shop has no integration)
    assert config.json()["code"] == "integration_not_found"
    assert int(time.time() // 60) == started, "the minute changed during the test"
