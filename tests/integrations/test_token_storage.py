"""The auth token: encrypted at rest, write-only, rotatable."""

import pytest
from django.core.management import call_command
from django.db import connection

from integrations import crypto
from integrations.models import SentryIntegration
from integrations.services import auth_token_status, read_auth_token

from .conftest import KEY_A, KEY_B

pytestmark = pytest.mark.django_db


def raw_token_column(integration):
    table = SentryIntegration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT auth_token FROM {table} WHERE id = %s", [integration.pk.hex])
        row = cursor.fetchone()
        if row is None:  # PostgreSQL stores UUIDs natively
            cursor.execute(f"SELECT auth_token FROM {table} WHERE id = %s", [integration.pk])
            row = cursor.fetchone()
    return row[0]


def test_the_database_never_holds_the_plaintext(make_integration, api):
    integration = make_integration(auth_token="sntrys_plaintext_secret")
    raw = raw_token_column(integration)
    assert raw.startswith("v1:") and "sntrys_plaintext_secret" not in raw
    api.patch(
        f"/api/projects/{integration.project_id}/sentry/{integration.id}",
        {"authToken": "sntrys_second_secret"},
        format="json",
    )
    assert "sntrys_second_secret" not in raw_token_column(integration)
    integration.refresh_from_db()
    assert read_auth_token(integration) == "sntrys_second_secret"


def test_status_set_not_set_undecryptable(make_integration, settings):
    without = make_integration(environment="staging")
    with_token = make_integration(project=without.project, auth_token="t")
    assert auth_token_status(without) == "not_set"
    assert read_auth_token(without) is None
    assert auth_token_status(with_token) == "set"
    settings.ENCRYPTION_KEY = KEY_B
    assert auth_token_status(with_token) == "undecryptable"
    with pytest.raises(crypto.DecryptionError):
        read_auth_token(with_token)


def test_token_copied_to_another_row_is_undecryptable(make_integration):
    first = make_integration(auth_token="t")
    second = make_integration(project=first.project, environment="staging")
    SentryIntegration.objects.filter(pk=second.pk).update(auth_token=first.auth_token)
    second.refresh_from_db()
    assert auth_token_status(second) == "undecryptable"


def rotate(capsys):
    call_command("rotate_encryption_key")
    return capsys.readouterr().out


def test_rotation_cycle_then_old_key_removed(make_integration, settings, capsys):
    project_integrations = [
        make_integration(environment=f"env-{n}", auth_token=f"token-{n}") for n in range(3)
    ]
    make_integration(environment="no-token")
    # A new key arrives; the old one moves to ENCRYPTION_OLD_KEYS.
    settings.ENCRYPTION_KEY = KEY_B
    settings.ENCRYPTION_OLD_KEYS = [KEY_A]
    assert "re-encrypted: 3, already current: 0, unreadable: 0" in rotate(capsys)
    # Idempotent.
    assert "re-encrypted: 0, already current: 3, unreadable: 0" in rotate(capsys)
    # The old key can go; everything still decrypts.
    settings.ENCRYPTION_OLD_KEYS = []
    for n, integration in enumerate(project_integrations):
        integration.refresh_from_db()
        assert read_auth_token(integration) == f"token-{n}"
        assert crypto.stored_key_id(integration.auth_token) == crypto.configured_keys()[0].key_id


def test_rotation_counts_unreadable_and_leaves_them_alone(make_integration, settings, capsys):
    integration = make_integration(auth_token="t")
    before = integration.auth_token
    settings.ENCRYPTION_KEY = KEY_B  # KEY_A forgotten
    call_command("rotate_encryption_key")
    captured = capsys.readouterr()
    assert "re-encrypted: 0, already current: 0, unreadable: 1" in captured.out
    assert "ENCRYPTION_OLD_KEYS" in captured.err
    integration.refresh_from_db()
    assert integration.auth_token == before


@pytest.mark.django_db(transaction=True)
def test_interrupted_rotation_keeps_the_rows_already_done(make_integration, settings, monkeypatch):
    for n in range(3):
        make_integration(environment=f"env-{n}", auth_token=f"token-{n}")
    settings.ENCRYPTION_KEY = KEY_B
    settings.ENCRYPTION_OLD_KEYS = [KEY_A]
    real_encrypt = crypto.encrypt
    calls = []

    def encrypt_then_crash(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C mid-run
        return real_encrypt(*args, **kwargs)

    monkeypatch.setattr(crypto, "encrypt", encrypt_then_crash)
    with pytest.raises(KeyboardInterrupt):
        call_command("rotate_encryption_key")
    monkeypatch.setattr(crypto, "encrypt", real_encrypt)
    stored = list(SentryIntegration.objects.values_list("auth_token", flat=True))
    assert sum(crypto.is_current(value) for value in stored) == 1  # committed, not rolled back
    assert all(read_auth_token(row) for row in SentryIntegration.objects.all())
    call_command("rotate_encryption_key")
    assert all(crypto.is_current(row.auth_token) for row in SentryIntegration.objects.all())
