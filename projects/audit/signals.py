"""Logins and failed logins go to the audit log (the account tried, never the password)."""

from django.contrib.auth import get_user_model

from .services import record


def logged_in(sender, request, user, **kwargs):
    record("login", actor_user=user, request=request)


def login_failed(sender, credentials, request=None, **kwargs):
    username = str(
        credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or ""
    )
    account = get_user_model().objects.filter(username=username).first() if username else None
    record(
        "login_failed",
        actor_user=account,
        actor_label=f"{username[:100]} (failed)",
        request=request,
    )
