import pytest
from django.core.cache import cache

from explainer.sentry_api import SentryClient
from tests.fakes.sentry_server import TOKEN, FakeSentry


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_sentry(httpserver):
    return FakeSentry().install(httpserver)


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def make_client(fake_sentry, sleeps):
    def make(**overrides):
        options = {
            "base_url": fake_sentry.base_url,
            "token": TOKEN,
            "org": "acme",
            "project": "backend",
            "read_timeout": 2.0,
            "connect_timeout": 1.0,
            "backoff": 0.01,
            "max_retries": 2,
            "max_retry_after": 5,
            "cache_seconds": 0,
            "sleep": sleeps.append,
        }
        options.update(overrides)
        return SentryClient(**options)

    return make
