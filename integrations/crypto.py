"""AES-256-GCM encryption of stored secrets, with key ids so that keys can rotate.

Stored form: ``v1:<key id>:<base64 of nonce + ciphertext and tag>``. The associated data binds
the ciphertext to its table, row and field, so a value copied to another row fails to open.
Keys are read from ``django.conf.settings`` at call time (parsed once per setting value):
``ENCRYPTION_KEY`` encrypts and decrypts, ``ENCRYPTION_OLD_KEYS`` only decrypt.
"""

import base64
import binascii
import functools
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = "v1"
NONCE_BYTES = 12  # 96 bits, fresh for every encryption
KEY_BYTES = 32
HOW_TO_GENERATE = "Generate one with `openssl rand -base64 32` and set ENCRYPTION_KEY to it."


class DecryptionError(Exception):
    """No configured key opens the stored value (or it is damaged)."""


@dataclass(frozen=True)
class Key:
    key_id: str
    aead: AESGCM


def key_problem(value, name="ENCRYPTION_KEY") -> str | None:
    """Why `value` is not a usable key, in words a person can act on; None when it is."""
    if not value or not str(value).strip():
        return f"{name} is not set. {HOW_TO_GENERATE}"
    try:
        raw = base64.b64decode(str(value).strip(), validate=True)
    except (binascii.Error, ValueError):
        return f"{name} is not valid base64. {HOW_TO_GENERATE}"
    if len(raw) != KEY_BYTES:
        return (
            f"{name} decodes to {len(raw)} bytes; AES-256 needs exactly {KEY_BYTES}. "
            f"{HOW_TO_GENERATE}"
        )
    return None


def key_id_of(raw: bytes) -> str:
    """A short public fingerprint of a key: it names the key without revealing it."""
    return hashlib.sha256(b"sentry-manager-key-id:" + raw).hexdigest()[:8]


def _parse(value: str, name: str) -> Key:
    problem = key_problem(value, name)
    if problem:
        raise ImproperlyConfigured(problem)
    raw = base64.b64decode(value.strip(), validate=True)
    return Key(key_id_of(raw), AESGCM(raw))


def old_key_values() -> tuple[str, ...]:
    value = getattr(settings, "ENCRYPTION_OLD_KEYS", ()) or ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(item.strip() for item in value if item and item.strip())


@functools.lru_cache(maxsize=8)
def _keys(current: str, old: tuple[str, ...]) -> tuple[Key, dict[str, Key]]:
    current_key = _parse(current, "ENCRYPTION_KEY")
    by_id = {current_key.key_id: current_key}
    for index, value in enumerate(old, start=1):
        key = _parse(value, f"ENCRYPTION_OLD_KEYS (key {index})")
        by_id.setdefault(key.key_id, key)
    return current_key, by_id


def configured_keys() -> tuple[Key, dict[str, Key]]:
    """(current key, every usable key by id). ImproperlyConfigured when a key is malformed."""
    return _keys(getattr(settings, "ENCRYPTION_KEY", "") or "", old_key_values())


def _associated_data(key_id: str, table: str, row_id: str, field: str) -> bytes:
    return f"sentry-manager:{FORMAT_VERSION}:{key_id}:{table}:{row_id}:{field}".encode()


def encrypt(plaintext: str, *, table: str, row_id: str, field: str) -> str:
    key, _ = configured_keys()
    nonce = os.urandom(NONCE_BYTES)
    aad = _associated_data(key.key_id, table, str(row_id), field)
    sealed = key.aead.encrypt(nonce, plaintext.encode(), aad)
    return f"{FORMAT_VERSION}:{key.key_id}:{base64.b64encode(nonce + sealed).decode()}"


def stored_key_id(stored: str) -> str | None:
    """The key id a stored value names, or None when it is not in a known format."""
    parts = (stored or "").split(":")
    if len(parts) == 3 and parts[0] == FORMAT_VERSION:
        return parts[1]
    return None


def is_current(stored: str) -> bool:
    """True when `stored` is encrypted with the current ENCRYPTION_KEY."""
    key, _ = configured_keys()
    return stored_key_id(stored) == key.key_id


def decrypt(stored: str, *, table: str, row_id: str, field: str) -> str:
    key_id = stored_key_id(stored)
    if key_id is None:
        raise DecryptionError("The stored value is not in a known encrypted format.")
    _, keys = configured_keys()
    key = keys.get(key_id)
    if key is None:
        raise DecryptionError(
            f"The value was encrypted with key {key_id}, which is neither ENCRYPTION_KEY "
            "nor one of ENCRYPTION_OLD_KEYS."
        )
    try:
        blob = base64.b64decode(stored.split(":", 2)[2], validate=True)
    except (binascii.Error, ValueError) as error:
        raise DecryptionError("The stored value is damaged (not base64).") from error
    nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    try:
        plaintext = key.aead.decrypt(nonce, sealed, _associated_data(key_id, table, row_id, field))
    except (InvalidTag, ValueError) as error:
        raise DecryptionError(
            "The stored value does not open with its key: it was altered or belongs to "
            "another row or field."
        ) from error
    return plaintext.decode()
