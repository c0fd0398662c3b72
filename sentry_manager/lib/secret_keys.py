"""Which key names hold secrets or personal data: Sentry's default denylist, as whole words."""

import re
from functools import lru_cache

from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST

# Names Sentry's lists miss that hold secrets or personal data in the events we see.
EXTRA_SENSITIVE_KEYS = [
    "pwd",
    "passphrase",
    "credential",
    "dsn",
    "cookies",
    "access_key",
    "encryption_key",
    "signing_key",
    "sentry_key",
    "phone",
    "mobile",
    "msisdn",
    "telephone",
    "email",
    "username",
    "first_name",
    "last_name",
    "full_name",
    "surname",
    "device_id",
    "device_unique_identifier",
    "advertising_id",
    "idfa",
    "idfv",
    "android_id",
]
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _words(name: str) -> tuple[str, ...]:
    return tuple(word for word in _NON_ALNUM.split(_CAMEL.sub("_", name).lower()) if word)


# Names that contain a sensitive word but hold no secret, and say what went wrong:
# .NET's "PublicKeyToken=b03f5f7f11d50a3a" in assembly errors, OAuth's "token_type": "Bearer".
NOT_SENSITIVE = {"publickeytoken", "public_key_token", "token_type"}

_DENYLIST = [*DEFAULT_DENYLIST, *DEFAULT_PII_DENYLIST, *EXTRA_SENSITIVE_KEYS]
# Dotted entries ("connect.sid") name a whole key; the others are word sequences.
_WHOLE_KEYS = {entry.lower() for entry in _DENYLIST if "." in entry}
_WORD_ENTRIES = {_words(entry) for entry in _DENYLIST if "." not in entry}
_SINGLE_WORDS = {entry[0] for entry in _WORD_ENTRIES if len(entry) == 1}
_MULTI_WORDS = [entry for entry in _WORD_ENTRIES if len(entry) > 1]


@lru_cache(maxsize=4096)
def is_sensitive_key(key) -> bool:
    """Whether a key (dict key, header, variable, tag, `name` of `name=value`) names a secret.

    Only the last segment of a dotted or namespaced key counts (`session.status` is a status,
    `http.request.header.authorization` a credential), and only whole words of it.
    """
    if not isinstance(key, str) or not key or len(key) > 200:
        return False
    name = key.strip().strip("'\"").lower()
    if name in NOT_SENSITIVE:
        return False
    if name in _WHOLE_KEYS:
        return True
    segment = next((part for part in reversed(re.split(r"[.:/]", key)) if part.strip()), "")
    words = _words(segment)
    if _SINGLE_WORDS.intersection(words):
        return True
    return any(
        words[start : start + len(entry)] == entry
        for entry in _MULTI_WORDS
        for start in range(len(words) - len(entry) + 1)
    )
