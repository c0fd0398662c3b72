"""Fixtures shared by every test folder."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(db):
    def make(username="alice", **extra):
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice")


@pytest.fixture
def other_user(make_user):
    return make_user("mallory")


@pytest.fixture
def browser_client(client, user):
    """A logged-in Django test client (pages)."""
    client.force_login(user)
    return client


@pytest.fixture
def api(user):
    """A JSON API client logged in with a session."""
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def make_project(user):
    from projects.services import create_project

    def make(name="My App", owner=None, **extra):
        return create_project(owner=owner or user, name=name, **extra)

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default PBKDF2 work factor costs ~0.3 s per user; tests need no such protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sentry_ingest(httpserver):
    """A local Sentry ingest (envelopes at /api/42/envelope/) for the real sentry-sdk."""
    from tests.fakes.sentry_ingest import SentryIngest

    return SentryIngest(httpserver, project_id=42)
