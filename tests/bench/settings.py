"""The app's own settings, plus a URL conf that adds the bench's bare baseline view."""

from sentry_manager.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
