"""Validation rules for integration fields (slugs, sample rates, the Sentry API URL)."""

import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from sentry_manager.lib.outbound import OutboundRefused, check_url

SENTRY_SLUG_RE = re.compile(r"^[a-z0-9_-]{1,50}$")
DEFAULT_API_BASE_URL = "https://sentry.io"
LOOPBACK_HOSTS = {"localhost"}


def validate_sentry_slug(value: str) -> None:
    if not isinstance(value, str) or not SENTRY_SLUG_RE.fullmatch(value):
        raise ValidationError(
            "A Sentry slug is 1–50 lowercase letters, digits, '-' and '_', as in the "
            f"Sentry URL (sentry.io/organizations/<org>/projects/<project>/); got {value!r}.",
            code="invalid_slug",
        )


def validate_sample_rate(value) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ValidationError(
            f"A sample rate is a number from 0.0 to 1.0 (0.1 = 10%); got {value!r}.",
            code="invalid_sample_rate",
        )


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_api_base_url(value: str) -> None:
    try:
        parts = urlsplit(value or "")
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise ValidationError(
            f"The Sentry API URL has an invalid host or port: {value!r}.", code="invalid_url"
        ) from error
    if not host or parts.scheme not in ("http", "https") or parts.username or parts.query:
        raise ValidationError(
            "The Sentry API URL is the address of your Sentry, such as https://sentry.io, "
            f"https://de.sentry.io or https://sentry.example.com; got {value!r}.",
            code="invalid_url",
        )
    if parts.scheme == "http" and not (settings.DEBUG or _is_loopback(host)):
        raise ValidationError(
            "The Sentry API URL must use https:// (http:// is allowed only for localhost "
            "or when DEBUG is on), so the auth token is not sent in the clear.",
            code="insecure_url",
        )
    try:
        check_url(value, "The Sentry API URL")
    except OutboundRefused as refused:
        raise ValidationError(refused.message, code="private_address") from refused
