"""Failed logins are limited per account (the name typed) and per client address.

The authentication backend refuses, without checking the password, while either limit is used
up, and counts each failure; the login forms (the site's and the admin's) then say when to try
again. Counts live in the shared cache, so every process sees them.
"""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError

from .throttle import FailureLimit, client_ip, wait_in_words


def _limits():
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    return (
        ("account", FailureLimit("login-account", settings.LOGIN_FAILURES_PER_ACCOUNT, window)),
        ("address", FailureLimit("login-ip", settings.LOGIN_FAILURES_PER_IP, window)),
    )


def _who(kind: str, request, username: str) -> str:
    return (username or "").strip().lower() if kind == "account" else client_ip(request)


class LoginThrottled(PermissionDenied):
    def __init__(self, kind: str, seconds: int):
        super().__init__(kind)
        self.kind, self.seconds = kind, seconds

    @property
    def message(self) -> str:
        what = "this account" if self.kind == "account" else "your network address"
        return (
            f"Too many failed logins for {what}. Try again in {wait_in_words(self.seconds)}; "
            "the password was not checked."
        )


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend behind the failure limits."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:  # no caller to limit (the test client, scripts)
            return super().authenticate(request, username, password, **kwargs)
        limits = _limits()
        for kind, limit in limits:
            seconds = limit.retry_after(_who(kind, request, username))
            if seconds is not None:
                request.login_throttled = LoginThrottled(kind, seconds)
                raise request.login_throttled  # authenticate() stops here, as a failure
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            for kind, limit in limits:
                limit.record_failure(_who(kind, request, username))
        return user


class ThrottleMessageMixin:
    def get_invalid_login_error(self):
        throttled = getattr(self.request, "login_throttled", None)
        if throttled is not None:
            return ValidationError(throttled.message, code="throttled")
        return super().get_invalid_login_error()


class ThrottledAuthenticationForm(ThrottleMessageMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottleMessageMixin, AdminAuthenticationForm):
    pass
