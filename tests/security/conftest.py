import pytest
from django.core.cache import cache

from tests.fakes.sentry_server import FakeSentry

from .world import World


@pytest.fixture
def world(make_user, httpserver, settings):
    settings.ALLOW_SIGNUP = True
    settings.CONFIG_ENDPOINT_RATE_PER_MINUTE = 0
    cache.clear()
    fake = FakeSentry().install(httpserver)
    yield World(make_user, fake.base_url.rstrip("/"))
    cache.clear()
