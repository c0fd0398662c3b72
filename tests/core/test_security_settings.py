"""Production hardening: `DEBUG=false` turns it on; `check --deploy` passes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "roduction-like-secret-key-with-enough-entropy-0123456789",
    "ENCRYPTION_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "ALLOWED_HOSTS": "sentry-manager.example.com",
    "ENV_FILE": "/nonexistent",
}


def run_manage(*args, env_overrides):
    # Only what a production server would have: the browser tests' async escape hatch is not.
    skip = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in skip}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_passes_with_production_values():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_are_hardened():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr


def test_ssl_redirect_can_be_turned_off_behind_a_proxy():
    env = {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "false"}
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT)",
        env_overrides=env,
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(browser_client):
    policy = browser_client.get("/projects")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy  # no inline script at all on app pages
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_the_only_inline_script_carries_the_nonce(browser_client):
    response = browser_client.get("/docs")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
