"""API key usage: counted in the cache per hour, flushed into rows, anomalies flagged."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations.services import create_integration
from projects.audit.models import AuditEntry
from projects.keys import usage
from projects.keys.models import KeyUsage, UsageFlag
from projects.keys.services import issue_api_key, roll_api_key

pytestmark = pytest.mark.django_db
URL = "/api/integrations/sentry/shop?environment=production"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop_key(user, make_project):
    shop = make_project("Shop", environment="production")
    create_integration(
        project=shop, environment="production", dsn="https://abc@o1.ingest.sentry.io/2",
        org="acme", sentry_project="shop",
    )  # fmt: skip
    return issue_api_key(owner=user, name="shop app", project=shop)


def _fetch(client, key, **headers):
    return client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def test_uses_are_counted_per_outcome_without_a_query_then_flushed(client, shop_key):
    first = _fetch(client, shop_key.plaintext)
    with CaptureQueriesContext(connection) as queries:
        second = _fetch(client, shop_key.plaintext, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert len(queries) <= 2  # the key lookup; counting is a cache operation
    _fetch(client, shop_key.plaintext[:-3] + "xyz")  # wrong secret: counted for the prefix
    assert KeyUsage.objects.count() == 0  # nothing written before the flush
    assert usage.flush() == 1
    row = KeyUsage.objects.get()
    assert (row.api_key, row.requests, row.not_modified) == (shop_key.api_key, 3, 1)
    assert row.errors == {"invalid_api_key": 1}
    assert usage.flush() == 1 and KeyUsage.objects.get().requests == 3  # idempotent


def test_the_json_api_counts_too(user, shop_key):
    from rest_framework.test import APIClient

    reader = issue_api_key(owner=user, name="script", access="read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {reader.plaintext}")
    client.get("/api/projects")
    client.get("/api/projects")
    usage.flush()
    assert KeyUsage.objects.get(prefix=reader.api_key.prefix).requests == 2


def test_origins_are_kept_per_hour(client, shop_key):
    for origin in ("https://a.example", "https://b.example", "https://a.example"):
        _fetch(client, shop_key.plaintext, HTTP_ORIGIN=origin)
    usage.flush()
    assert KeyUsage.objects.get().origins == ["https://a.example", "https://b.example"]


def _history(key, hours=48, per_hour=10, now=None):
    now = now or timezone.now()
    start = now.replace(minute=0, second=0, microsecond=0)
    for back in range(1, hours + 1):
        KeyUsage.objects.create(
            prefix=key.prefix, api_key=key, hour=start - timedelta(hours=back),
            requests=per_hour, origins=["https://app.example"],
        )  # fmt: skip


def test_a_spike_is_flagged_and_audited_and_normal_traffic_is_not(shop_key):
    key = shop_key.api_key
    _history(key)
    for _ in range(40):  # ordinary: under the floor of 100
        usage.count(key.prefix, usage.OK)
    usage.flush()
    assert not UsageFlag.objects.exists()
    for _ in range(200):
        usage.count(key.prefix, usage.OK)
    usage.flush()
    flag = UsageFlag.objects.get()
    assert flag.kind == UsageFlag.SPIKE and "240 requests in an hour" in flag.detail
    entry = AuditEntry.objects.get(action="usage.flagged")
    assert entry.target_id == str(key.pk) and entry.actor == "anomaly detection"


def test_failed_authentication_bursts_new_origins_and_rolled_keys_are_flagged(shop_key):
    key = shop_key.api_key
    _history(key, hours=3)
    for _ in range(25):
        usage.count(key.prefix, "invalid_api_key")
    usage.count(key.prefix, usage.OK, origin="https://unknown.example")
    roll_api_key(key)
    for _ in range(3):
        usage.count(key.prefix, "expired_api_key")
    usage.flush()
    kinds = set(UsageFlag.objects.values_list("kind", flat=True))
    assert kinds == {UsageFlag.FAILED_AUTH, UsageFlag.NEW_ORIGIN, UsageFlag.ROLLED_KEY}
    assert "https://unknown.example" in UsageFlag.objects.get(kind=UsageFlag.NEW_ORIGIN).detail


def test_rows_past_retention_are_dropped(shop_key):
    key = shop_key.api_key
    KeyUsage.objects.create(prefix=key.prefix, hour=timezone.now() - timedelta(days=91))
    usage.flush()
    assert not KeyUsage.objects.exists()


def test_the_key_page_charts_seven_days_and_lists_errors_and_flags(browser_client, shop_key):
    key = shop_key.api_key
    _history(key, hours=30)
    for _ in range(25):
        usage.count(key.prefix, "revoked_api_key")
    usage.flush()
    page = browser_client.get(f"/settings/api-keys/{key.pk}").content.decode()
    assert page.count('class="usage-bar"') == 7
    assert "revoked_api_key</code>: 25" in page
    assert "burst of failed authentications" in page
    listing = browser_client.get("/settings/api-keys").content.decode()
    assert "burst of failed authentications" in listing  # the flag on the key list
    team = shop_key.api_key.team
    dashboard = browser_client.get(f"/teams/{team.slug}").content.decode()
    assert 'id="team-flags"' in dashboard


def test_the_first_use_of_an_hour_queues_the_flush_when_the_cache_is_shared(
    client, shop_key, django_capture_on_commit_callbacks, redis_db, settings
):
    from django_tasks_db.models import DBTaskResult

    from tests.servers import REDIS_URL

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    with django_capture_on_commit_callbacks(execute=True):
        _fetch(client, shop_key.plaintext)
        _fetch(client, shop_key.plaintext)
    queued = DBTaskResult.objects.filter(task_path="projects.keys.tasks.flush_usage")
    assert queued.count() == 1


def test_with_the_local_memory_cache_the_counting_process_flushes_itself(
    client, shop_key, django_capture_on_commit_callbacks
):
    """The embedded default: the worker has a cache of its own and could not read the web
    process's counters, so the web process copies them into rows itself."""
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        _fetch(client, shop_key.plaintext)
    assert not DBTaskResult.objects.filter(task_path="projects.keys.tasks.flush_usage").exists()
    assert KeyUsage.objects.get(prefix=shop_key.api_key.prefix).requests == 1


def test_the_key_page_shows_the_uses_of_the_last_seconds(browser_client, shop_key):
    for _ in range(3):
        assert _fetch(browser_client, shop_key.plaintext).status_code == 200
    KeyUsage.objects.all().delete()  # as if the hourly flush had not come round yet
    page = browser_client.get(f"/settings/api-keys/{shop_key.api_key.pk}")
    assert page.status_code == 200
    assert KeyUsage.objects.get(prefix=shop_key.api_key.prefix).requests == 3
    assert "3 requests" in page.content.decode()
