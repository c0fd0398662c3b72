"""Sentry DSN parsing (with sentry_sdk's own parser) and masking."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from sentry_sdk.utils import BadDsn, Dsn

DSN_MAX_LENGTH = 500
MASK = "••••••••"
EXAMPLE = "https://<public key>@o1.ingest.sentry.io/<project id>"


@dataclass(frozen=True)
class ParsedDsn:
    dsn: str  # the normalised text that is stored and served
    scheme: str
    host: str
    port: int | None
    path_prefix: str
    public_key: str
    secret_key: str | None
    project_id: str
    org_id: str | None


def _invalid(message: str) -> ValidationError:
    return ValidationError(f"{message} A DSN looks like {EXAMPLE}.", code="invalid_dsn")


def parse_dsn(text) -> ParsedDsn:
    """Parse and check a DSN; ValidationError with a message a person can act on."""
    if not isinstance(text, str):
        raise _invalid("The DSN must be text.")
    value = text.strip()
    if not value:
        raise _invalid("The DSN is empty.")
    if len(value) > DSN_MAX_LENGTH:
        raise _invalid(f"The DSN is {len(value)} characters long; at most {DSN_MAX_LENGTH}.")
    if any(char.isspace() for char in value):
        raise _invalid("The DSN contains spaces or line breaks; paste it as one piece.")
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme not in ("http", "https"):
        shown = f"“{scheme}”" if scheme else "no scheme"
        raise _invalid(f"The DSN has {shown}; it must start with https:// (or http://).")
    if "?" in value or "#" in value:
        raise _invalid("The DSN must not contain a query string (?) or fragment (#).")
    try:
        parsed = Dsn(value)
    except BadDsn as error:
        message = str(error)
        if "hostname" in message:
            raise _invalid("The DSN has no host after the @.") from error
        if "public key" in message:
            raise _invalid("The DSN has no public key before the @.") from error
        if "project" in message:
            raise _invalid("The DSN does not end with a numeric project id.") from error
        raise _invalid(f"The DSN is not valid ({message}).") from error
    except ValueError as error:  # urlsplit: a port that is not a number, a bad IPv6 host
        raise _invalid("The DSN's host or port is not valid.") from error
    if parsed.scheme == "http" and (
        parsed.host == "sentry.io" or parsed.host.endswith(".sentry.io")
    ):
        raise _invalid("sentry.io DSNs use https://; http:// is only for a self-hosted Sentry.")
    last_segment = urlsplit(value).path.rsplit("/", 1)[-1]
    if not (last_segment.isascii() and last_segment.isdigit()):
        raise _invalid("The DSN does not end with a numeric project id.")
    return ParsedDsn(
        dsn=value,
        scheme=parsed.scheme,
        host=parsed.host,
        port=urlsplit(value).port,
        path_prefix=parsed.path,
        public_key=parsed.public_key,
        secret_key=parsed.secret_key,
        project_id=parsed.project_id,
        org_id=parsed.org_id,
    )


def validate_dsn(value) -> None:
    """Model validator; the field's own max_length check reports a DSN that is too long."""
    if isinstance(value, str) and len(value.strip()) > DSN_MAX_LENGTH:
        return
    parse_dsn(value)


def mask_dsn(dsn: str) -> str:
    """The DSN with its keys hidden: https://••••••••@o1.ingest.sentry.io/2."""
    if not dsn:
        return ""
    scheme, sep, rest = dsn.partition("://")
    if not sep or "@" not in rest:
        return MASK
    return f"{scheme}://{MASK}@{rest.rsplit('@', 1)[1]}"
