"""Fixtures for integration tests: fixed encryption keys, so nothing depends on .env."""

import base64

import pytest

from tests.core.conftest import wsgi  # noqa: F401 (requests through the real WSGI handler)

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
GOOD_DSN = "https://abc123def456@o1.ingest.sentry.io/2"


@pytest.fixture(autouse=True)
def encryption_keys(settings):
    settings.ENCRYPTION_KEY = KEY_A
    settings.ENCRYPTION_OLD_KEYS = []
    return settings


@pytest.fixture
def make_integration(make_project):
    from integrations.services import create_integration

    def make(project=None, environment="production", dsn=GOOD_DSN, **extra):
        extra.setdefault("org", "acme")
        extra.setdefault("sentry_project", "checkout")
        return create_integration(
            project=project or make_project(), environment=environment, dsn=dsn, **extra
        )

    return make
