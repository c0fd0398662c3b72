"""Usage counted by two gunicorn servers sharing Redis adds up to one row per key and hour."""

import time

import pytest
import requests

from tests.servers import manage, seed_project_with_key


@pytest.fixture
def server_env(server_env_with_redis):
    return server_env_with_redis


@pytest.fixture
def api_key(server_env):
    return seed_project_with_key(
        server_env, slug="shop", dsn="https://abc@o1.ingest.sentry.io/2", org="acme",
        sentry_project="shop",
    )  # fmt: skip


def test_usage_counts_across_servers(two_servers, api_key, server_env):
    headers = {"Authorization": f"Bearer {api_key}"}
    for base, times in zip(two_servers, (7, 5), strict=True):
        for _ in range(times):
            url = f"{base}/api/integrations/sentry/shop?environment=production"
            assert requests.get(url, headers=headers, timeout=10).status_code == 200
    wrong = {"Authorization": f"Bearer {api_key[:-2]}zz"}
    assert (
        requests.get(f"{two_servers[1]}/api/projects", headers=wrong, timeout=10).status_code == 401
    )

    time.sleep(1.5)  # each server writes its counts to the shared cache within a second
    assert "Flushed 1 hourly usage row(s)." in manage(server_env, "flush_usage").stdout
    code = (
        "from projects.keys.models import KeyUsage; row = KeyUsage.objects.get(); "
        "print(row.requests, row.errors)"
    )
    output = manage(server_env, "shell", "--no-imports", "-c", code).stdout.strip()
    assert output.splitlines()[-1] == "13 {'invalid_api_key': 1}"
