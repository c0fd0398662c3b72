"""The one detector of secrets and personal data, for everything that leaves this server.

The explainer (events before an LLM or a page sees them) and self-monitoring (`before_send`)
both use it, so they cannot disagree about what a secret looks like. It finds them three ways:

- **by shape**, in any text (`redact_text`): credentials after Bearer/Basic/Token, JWTs, this
  app's `smk_` keys, OpenAI, GitHub, GitLab, Slack, AWS, Stripe, Google and Sentry keys, PEM
  private keys, credentials and DSN public keys in URLs, `name=value` / `name: value` pairs whose
  name is sensitive, cookie values, card numbers that pass Luhn, emails, IPv4/IPv6 addresses
  and phone numbers;
- **by key name** (`is_sensitive_key`): Sentry's own default denylist (the SDK's
  `DEFAULT_DENYLIST` and `DEFAULT_PII_DENYLIST`) plus a few names of ours, matched as whole
  words of the key's last segment: `auth_token`, `X-Api-Key`, `HTTP_AUTHORIZATION` are secret;
  `author`, `bypass`, `prompt_tokens` and `session.status` are not;
- **by identity** (`Identity`): the values that identify the user of an event (id, username,
  email, IP address, name), replaced wherever they appear.

Diagnostic prose survives: "token expired", "basic authentication required", "password: must
be at least 8 characters" and "Module version 1.2.3.4" are left alone.

The rules live in `secret_keys` (names), `secret_shapes` (patterns) and `secret_scans`
(name=value pairs, PEM keys); callers use this module. Linear time: each pattern starts at a
token boundary (a look-behind on its own characters, so a run of them is entered once),
repeats single character classes with bounded counts, never nests or chains overlapping
repetitions, and runs only when a cheap substring test says it can match. The work is
proportional to the length of the text, whatever it is.
"""

import ipaddress
import re

from .secret_keys import is_sensitive_key
from .secret_shapes import redact_text, typed

__all__ = ["FILTERED", "Identity", "is_sensitive_key", "redact", "redact_text", "typed"]

FILTERED = "[filtered]"
MAX_DEPTH = 64


IDENTITY_FIELDS = ("id", "username", "email", "ip_address", "name")
USER_TAG_PREFIXES = ("id:", "username:", "email:", "ip:")
MIN_IDENTITY_LENGTH = 3  # a user id "1" or "42" cannot be told apart from any other number
PLACEHOLDER = re.compile(r"\[[\w -]{1,40}\]")


class Identity:
    """The values that identify one user (an event's `user`), to replace wherever they occur.

    Matching is case-insensitive and on whole tokens, so the username `jane` goes from
    "cart of jane" but stays in "janet". Loopback and unspecified addresses identify nobody.
    """

    def __init__(self, values=()):
        kept = set()
        for value in values:
            value = str(value).strip() if value is not None else ""
            if not MIN_IDENTITY_LENGTH <= len(value) <= 200 or _is_local_address(value):
                continue
            if PLACEHOLDER.fullmatch(value):
                continue  # an event scrubbed before: "[filtered]" is nobody
            kept.add(value)
        self.values = sorted(kept, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![\w@.+-])(?:" + "|".join(re.escape(v) for v in self.values) + r")(?![\w@-])",
                re.IGNORECASE,
            )
            if self.values
            else None
        )

    def __bool__(self):
        return bool(self.values)

    @classmethod
    def of_user(cls, user, user_tag="") -> "Identity":
        """From an event's `user` dict and its `user` tag (`email:jane@…`, `id:42`)."""
        user = user if isinstance(user, dict) else {}
        values = [user.get(name) for name in IDENTITY_FIELDS]
        values.append(user.get("ip"))
        email = str(user.get("email") or "")
        if "@" in email:
            values.append(email.split("@", 1)[0])  # "jane.doe" also signs log lines
        name = str(user.get("name") or "")
        values += [part for part in name.split() if len(part) >= MIN_IDENTITY_LENGTH]
        tag = str(user_tag or "")
        for prefix in USER_TAG_PREFIXES:
            if tag.startswith(prefix):
                values.append(tag[len(prefix) :])
        return cls(value for value in values if isinstance(value, str | int) and value != "")

    def redact(self, text, placeholder: str | None = None):
        if self._pattern is None or not isinstance(text, str):
            return text
        return self._pattern.sub(placeholder or typed("user"), text)


def _is_local_address(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


# --- Whole values ------------------------------------------------------------------------------


def _filtered(value, filtered: str):
    # None and booleans say nothing secret ("hasAuthToken": true stays readable).
    return value if value is None or isinstance(value, bool) else filtered


def redact(
    value,
    *,
    placeholder: str | None = None,
    filtered: str = FILTERED,
    identity: Identity | None = None,
    drop_keys=frozenset(),
    blank_only_keys=frozenset(),
    _depth=0,
):
    """A copy of any JSON-like value with secrets and personal data replaced, at any depth.

    Strings are redacted by shape (and `identity`); a value whose key is sensitive becomes
    `filtered` — dict keys, `[name, value]` pairs (headers, tags) and `{"key", "value"}` pairs
    alike. Keys in `drop_keys` are left out; dicts under `blank_only_keys` keep only their empty
    values (None, 0, "", [], {}), the ones that carry nothing about anyone.
    """
    if _depth > MAX_DEPTH:
        return filtered

    def again(item):
        return redact(
            item,
            placeholder=placeholder,
            filtered=filtered,
            identity=identity,
            drop_keys=drop_keys,
            blank_only_keys=blank_only_keys,
            _depth=_depth + 1,
        )

    if isinstance(value, str):
        text = redact_text(value, placeholder)
        return identity.redact(text, placeholder) if identity else text
    if isinstance(value, dict):
        if "key" in value and "value" in value and is_sensitive_key(value.get("key")):
            return {
                key: _filtered(item, filtered) if key == "value" else again(item)
                for key, item in value.items()
            }
        result = {}
        for key, item in value.items():
            name = key.lower() if isinstance(key, str) else key
            if name in drop_keys:
                continue
            if name in blank_only_keys and isinstance(item, dict):
                item = {k: v for k, v in item.items() if is_blank(v)}
            result[again(key) if isinstance(key, str) else key] = (
                _filtered(item, filtered) if is_sensitive_key(key) else again(item)
            )
        return result
    if isinstance(value, list | tuple):
        if len(value) == 2 and isinstance(value[0], str) and is_sensitive_key(value[0]):
            return type(value)([value[0], _filtered(value[1], filtered)])
        return type(value)(again(item) for item in value)
    return value


BLANK_REPRS = {
    "none",
    "null",
    "nil",
    "undefined",
    "0",
    "0.0",
    "''",
    '""',
    "[]",
    "{}",
    "()",
    "set()",
}


def is_blank(value) -> bool:
    """None/null/0/empty, as a value or as the repr an SDK sends for a local variable."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value is None or value == 0
    if isinstance(value, str):
        return value.strip().lower() in BLANK_REPRS or value == ""
    if isinstance(value, list | dict | tuple):
        return len(value) == 0
    return False
