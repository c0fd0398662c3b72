"""sentry_sdk.init from settings: environment, release, rates, Django integration, no PII."""

import subprocess
from pathlib import Path

import pytest
import sentry_sdk
from django.conf import settings as django_settings
from sentry_sdk.integrations.django import DjangoIntegration

from sentry_manager import monitoring


def test_init_uses_the_settings(sentry_on):
    options = sentry_sdk.get_client().options
    assert options["dsn"] == sentry_on.dsn
    assert options["environment"] == "staging-eu"
    assert options["release"] == "sentry-manager@9.9.9+test"
    assert options["traces_sample_rate"] == 1.0
    assert options["before_send"] is monitoring.scrub_event
    assert options["before_send_transaction"] is monitoring.scrub_event
    assert options["before_breadcrumb"] is monitoring.scrub_breadcrumb


def test_init_turns_on_the_django_integration(sentry_on):
    assert sentry_sdk.get_client().get_integration(DjangoIntegration) is not None


def test_init_sends_no_default_pii(sentry_on):
    client = sentry_sdk.get_client()
    assert client.should_send_default_pii() is False
    assert client.options["data_collection"]["user_info"] is False
    assert client.options["max_request_body_size"] == "never"


def test_init_is_idempotent(sentry_on):
    client = sentry_sdk.get_client()
    assert monitoring.init_sentry() is True
    assert sentry_sdk.get_client() is client


def test_init_profiles_sample_rate_from_settings(settings, sentry_ingest):
    settings.APP_SENTRY_DSN = sentry_ingest.dsn
    settings.APP_SENTRY_PROFILES_SAMPLE_RATE = 0.5
    monitoring.init_sentry()
    options = sentry_sdk.get_client().options
    assert options["profile_session_sample_rate"] == 0.5
    assert options["profile_lifecycle"] == "trace"


def test_default_release_is_the_package_version_and_the_git_sha():
    release = monitoring.default_release()
    assert release.startswith("sentry-manager@0.1.0")
    base_dir = Path(django_settings.BASE_DIR)
    found = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=base_dir, capture_output=True, text=True
    )
    if found.returncode != 0:  # an unpacked tarball: the version alone
        assert release == "sentry-manager@0.1.0"
        return
    assert release == f"sentry-manager@0.1.0+{found.stdout.strip()[:12]}"


def test_release_setting_wins_over_the_default(settings):
    settings.APP_SENTRY_RELEASE = "sentry-manager@2.0.0"
    assert monitoring.release() == "sentry-manager@2.0.0"


@pytest.mark.parametrize(
    "name",
    [
        "APP_SENTRY_DSN",
        "APP_SENTRY_ENVIRONMENT",
        "APP_SENTRY_RELEASE",
        "APP_SENTRY_TRACES_SAMPLE_RATE",
        "APP_SENTRY_PROFILES_SAMPLE_RATE",
    ],
)
def test_every_sentry_setting_is_documented_in_env_example(name):
    text = (Path(django_settings.BASE_DIR) / ".env.example").read_text()
    assert f"{name}=" in text
