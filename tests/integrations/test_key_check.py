"""The start-up check: a missing or malformed ENCRYPTION_KEY stops the server."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from integrations.checks import check_encryption_keys

from .conftest import KEY_A

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "ENCRYPTION_KEY is not set."),
        ("not base64 at all!", "ENCRYPTION_KEY is not valid base64."),
        (base64.b64encode(b"x" * 16).decode(), "decodes to 16 bytes; AES-256 needs exactly 32"),
    ],
)
def test_bad_keys_are_errors_that_say_how_to_generate_one(settings, value, message):
    settings.ENCRYPTION_KEY = value
    errors = check_encryption_keys(None)
    assert len(errors) == 1
    assert errors[0].id == "integrations.E001"
    assert message in errors[0].msg
    assert "openssl rand -base64 32" in errors[0].msg


def test_a_bad_old_key_is_an_error_too(settings):
    settings.ENCRYPTION_OLD_KEYS = ["nope"]
    errors = check_encryption_keys(None)
    assert [error.id for error in errors] == ["integrations.E002"]
    assert "ENCRYPTION_OLD_KEYS (key 1)" in errors[0].msg


def test_a_good_key_passes(settings):
    settings.ENCRYPTION_KEY = KEY_A
    assert check_encryption_keys(None) == []


def test_start_up_stops_without_a_key():
    env = {key: value for key, value in os.environ.items() if not key.startswith("ENCRYPTION")}
    env.update({"ENV_FILE": "/nonexistent", "SECRET_KEY": "x" * 50, "ENCRYPTION_KEY": ""})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "integrations.E001" in result.stderr
    assert "openssl rand -base64 32" in result.stderr
