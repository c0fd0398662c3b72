"""Remove secrets and personal data from Sentry events before they are stored, shown or sent.

What a secret looks like is decided in one place, `sentry_manager.lib.secrets` (self-monitoring
uses the same detector). This module applies it to a whole event:

- every string, by shape, with typed placeholders (`[email]`, `[token]`, `[ip]`, ...) so the
  text stays readable;
- every value whose key is sensitive becomes `[filtered]` (dict keys, `[name, value]` pairs
  such as headers and tags, `{"key": ..., "value": ...}` pairs);
- the event's user: the `user` context is dropped, and its identity (id, username, email, IP
  address, name) is replaced wherever else it appears (`[user]`, `[email]`, `[ip]`);
- local variables (`vars`): only the empty ones stay (None, 0, "", [], {}); they are the
  evidence of most crashes ("periods = 0") and say nothing about anyone.
"""

from sentry_manager.lib.secrets import FILTERED, Identity, redact, redact_text

__all__ = ["FILTERED", "identity_of", "scrub", "scrub_text"]

USER_KEYS = ("user", "sentry.interfaces.User")


def _user_tag(tags) -> str:
    if isinstance(tags, dict):
        return str(tags.get("sentry:user") or tags.get("user") or "")
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict):
            key, value = tag.get("key"), tag.get("value")
        elif isinstance(tag, list | tuple) and len(tag) == 2:
            key, value = tag
        else:
            continue
        if key in ("sentry:user", "user"):
            return str(value or "")
    return ""


def identity_of(event) -> Identity:
    """The identity of the user an event is about (its `user` context and `user` tag)."""
    if not isinstance(event, dict):
        return Identity()
    user = next((event[key] for key in USER_KEYS if isinstance(event.get(key), dict)), {})
    return Identity.of_user(user, _user_tag(event.get("tags")))


def scrub(value, identity: Identity | None = None):
    """A scrubbed copy of an event (or any JSON-like value from one)."""
    if identity is None:
        identity = identity_of(value)
    return redact(
        value,
        identity=identity,
        drop_keys={key.lower() for key in USER_KEYS},
        blank_only_keys={"vars"},
    )


def scrub_text(text: str) -> str:
    """One text (an issue title, a Sentry answer) without secrets or personal data."""
    return redact_text(text)
