"""What self-monitoring sends is scrubbed here: `before_send` and `before_breadcrumb`.

The detector is the explainer's too (`sentry_manager.lib.secrets`); here every finding becomes
Sentry's own `[Filtered]`. The user's identity (when the app set one) is replaced wherever it
appears outside the `user` context, which Sentry needs to count affected users.
"""

from sentry_manager.lib.secrets import Identity, is_sensitive_key, redact, redact_text

FILTERED = "[Filtered]"

__all__ = ["FILTERED", "is_sensitive_key", "scrub", "scrub_breadcrumb", "scrub_event"]


def scrub_string(text: str) -> str:
    return redact_text(text, FILTERED)


def scrub(value, identity: Identity | None = None):
    """A copy of `value` with secrets replaced by "[Filtered]", at any depth."""
    return redact(value, placeholder=FILTERED, filtered=FILTERED, identity=identity)


def scrub_event(event, hint):
    """`before_send` / `before_send_transaction`: the event without secrets."""
    user = event.get("user") if isinstance(event, dict) else None
    identity = Identity.of_user(user) if isinstance(user, dict) else None
    scrubbed = scrub(event, identity)
    if isinstance(user, dict):
        scrubbed["user"] = scrub(user)  # kept (user counts), by key and shape only
    return scrubbed


def scrub_breadcrumb(crumb, hint):
    """`before_breadcrumb`: the breadcrumb without secrets."""
    return scrub(crumb)
