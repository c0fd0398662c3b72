import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from integrations import crypto

from .conftest import KEY_A, KEY_B

WHERE = {"table": "integrations_sentryintegration", "row_id": "row-1", "field": "auth_token"}


def test_round_trip():
    stored = crypto.encrypt("sntrys_secret", **WHERE)
    assert crypto.decrypt(stored, **WHERE) == "sntrys_secret"


def test_stored_value_carries_version_and_key_id_not_the_plaintext():
    stored = crypto.encrypt("sntrys_secret", **WHERE)
    version, key_id, blob = stored.split(":")
    assert version == "v1"
    assert key_id == crypto.configured_keys()[0].key_id
    assert "sntrys_secret" not in stored
    assert len(base64.b64decode(blob)) == 12 + len("sntrys_secret") + 16  # nonce + text + tag


def test_a_fresh_nonce_each_time():
    assert crypto.encrypt("same", **WHERE) != crypto.encrypt("same", **WHERE)


def test_tampered_ciphertext_fails_clearly():
    stored = crypto.encrypt("sntrys_secret", **WHERE)
    head, blob = stored.rsplit(":", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError, match="altered"):
        crypto.decrypt(f"{head}:{base64.b64encode(bytes(raw)).decode()}", **WHERE)


def test_wrong_key_fails_clearly(settings):
    stored = crypto.encrypt("sntrys_secret", **WHERE)
    settings.ENCRYPTION_KEY = KEY_B
    with pytest.raises(crypto.DecryptionError, match="neither ENCRYPTION_KEY"):
        crypto.decrypt(stored, **WHERE)


def test_ciphertext_moved_to_another_row_or_field_fails():
    stored = crypto.encrypt("sntrys_secret", **WHERE)
    with pytest.raises(crypto.DecryptionError, match="another row"):
        crypto.decrypt(stored, **{**WHERE, "row_id": "row-2"})
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, **{**WHERE, "field": "other"})


def test_garbage_is_a_decryption_error():
    for stored in ["plaintext-token", "v1:abc", "v1:xx:not base64!"]:
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(stored, **WHERE)


def test_old_keys_decrypt_but_do_not_encrypt(settings):
    stored = crypto.encrypt("sntrys_secret", **WHERE)
    settings.ENCRYPTION_KEY = KEY_B
    settings.ENCRYPTION_OLD_KEYS = [KEY_A]
    assert crypto.decrypt(stored, **WHERE) == "sntrys_secret"
    assert not crypto.is_current(stored)
    assert crypto.is_current(crypto.encrypt("x", **WHERE))


def test_old_keys_may_be_a_comma_separated_string(settings):
    stored = crypto.encrypt("sntrys_secret", **WHERE)
    settings.ENCRYPTION_KEY = KEY_B
    settings.ENCRYPTION_OLD_KEYS = f" {KEY_A} ,"
    assert crypto.decrypt(stored, **WHERE) == "sntrys_secret"


def test_a_malformed_key_at_run_time_is_improperly_configured(settings):
    settings.ENCRYPTION_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="openssl rand -base64 32"):
        crypto.encrypt("x", **WHERE)
