"""API keys: issuing, checking, revoking and rolling. Pages, the JSON API and auth call these."""

import functools
import hashlib
import hmac
import secrets
import string
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sentry_manager.lib.prepared import PreparedQuery
from sentry_manager.lib.throttle import FailureLimit, client_ip, wait_in_words

from ..access import Principal, get_project
from ..audit.services import record
from ..teams.services import personal_team
from .models import ApiKey
from .origins import MAX_ORIGIN_LENGTH, MAX_ORIGINS, normalize_origins  # noqa: F401 - API

KEY_PREFIX = "smk"
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
PREFIX_LENGTH = 10
SECRET_BYTES = 32  # 256 bits of randomness
LAST_USED_RESOLUTION = 60  # seconds: last_used_at is written at most once a minute per key
DEFAULT_GRACE = timedelta(hours=24)


class ApiKeyError(Exception):
    """Why a presented key was refused; `code` is the API error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    plaintext: str  # shown once, never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def api_key_errors(
    *,
    owner,
    name: str = "",
    project=None,
    environment: str = "",
    access: str = ApiKey.CONFIG,
    expires_at=None,
    allowed_origins=(),
    unchecked=frozenset(),
) -> dict[str, list[str]]:
    """Every reason these options cannot make a key, by field (empty: they can).

    `unchecked` names fields whose value is not known (a form could not read it): rules that
    need them are skipped rather than answered wrongly.
    """
    errors = {}
    if environment and project is None and "project" not in unchecked:
        errors["environment"] = ["Restricting to an environment needs a project."]
    if access == ApiKey.CI and "project" not in unchecked:
        errors.update(_ci_key_errors(project, allowed_origins))
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = ["The expiry date must be in the future."]
    try:
        normalize_origins(allowed_origins)
    except ValidationError as error:
        errors.update(error.message_dict)
    api_key = ApiKey(
        owner=owner,
        name=(name or "").strip(),
        project=project,
        environment=environment or "",
        access=access,
    )
    try:
        api_key.full_clean(exclude=["key_hash", "prefix", "allowed_origins", "team", *unchecked])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


def issue_api_key(
    *,
    owner,
    name: str,
    project=None,
    environment: str = "",
    access: str = ApiKey.CONFIG,
    expires_at=None,
    allowed_origins=(),
    team=None,
) -> IssuedKey:
    """Create a key of `team` (the project's team when restricted to one, else the owner's
    personal team when None); the returned plaintext is the only time anyone sees it."""
    if project is not None:  # Http404 for a project the owner cannot see
        project = get_project(Principal(user=owner), id=project.id)
        if team is not None and team.pk != project.team_id:
            raise ValidationError({"project": "The project belongs to another team."})
        team = project.team
    team = team or personal_team(owner)
    options = {"project": project, "environment": environment or "", "access": access}
    errors = api_key_errors(
        owner=owner,
        name=name,
        expires_at=expires_at,
        allowed_origins=allowed_origins,
        **options,
    )
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    api_key = ApiKey(
        team=team,
        owner=owner,
        name=(name or "").strip(),
        expires_at=expires_at,
        allowed_origins=normalize_origins(allowed_origins),
        key_hash=_hash(secret),
        **options,
    )
    for _attempt in range(5):
        api_key.prefix = _new_prefix()
        try:
            with transaction.atomic():
                api_key.save(force_insert=True)
                record(
                    "key.created",
                    team=team,
                    project=project,
                    target=api_key,
                    changes={"access": [None, access], "environment": [None, environment or ""]},
                )
            break
        except IntegrityError:
            continue  # prefix collision: draw another
    else:  # pragma: no cover - 36^10 prefixes
        raise RuntimeError("Could not draw a free API key prefix.")
    return IssuedKey(api_key, f"{KEY_PREFIX}_{api_key.prefix}_{secret}")


def _ci_key_errors(project, allowed_origins) -> dict:
    """A ci key hands out a project's Sentry auth token: one project, never a browser."""
    errors = {}
    if project is None:
        errors["project"] = [
            "A ci key must be restricted to one project: choose the project whose source maps "
            "the build uploads (and optionally its environment)."
        ]
    if allowed_origins:
        errors["allowed_origins"] = [
            "A ci key is for CI jobs, never for browsers: leave the allowed browser origins empty."
        ]
    return errors


def parse_authorization(header: str | None) -> str:
    """The key out of an `Authorization: Bearer <key>` header, or ApiKeyError."""
    if not header:
        raise ApiKeyError(
            "missing_api_key",
            "No API key was sent. Send it as 'Authorization: Bearer smk_…'.",
        )
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or " " in value:
        raise ApiKeyError(
            "malformed_authorization",
            "The Authorization header must be 'Bearer <api key>', e.g. "
            "'Authorization: Bearer smk_abc123_…'.",
        )
    return value


@functools.cache
def _key_query() -> tuple[PreparedQuery, list[str], list[str]]:
    key_fields = [field.attname for field in ApiKey._meta.concrete_fields]
    user_fields = [field.attname for field in get_user_model()._meta.concrete_fields]
    columns = [*key_fields, *(f"owner__{name}" for name in user_fields)]
    query = PreparedQuery(
        lambda prefix: ApiKey.objects.filter(prefix=prefix).values_list(*columns),
        prefix="\x00api-key-prefix\x00",
    )
    return query, key_fields, user_fields


def _key_with_owner(prefix: str) -> ApiKey | None:
    """The key with its owner, in one query compiled once (this runs on every API call)."""
    query, key_fields, user_fields = _key_query()
    rows = query.rows(prefix=prefix)
    if not rows:
        return None
    row = rows[0]
    api_key = ApiKey.from_db("default", key_fields, row[: len(key_fields)])
    api_key.owner = get_user_model().from_db("default", user_fields, row[len(key_fields) :])
    return api_key


INVALID_KEY_MESSAGE = "The API key is not valid. Check that it was copied whole."


class KeyState(NamedTuple):
    """What decides whether a presented key may be used now."""

    key_hash: str
    name: str
    revoked_at: object
    expires_at: object
    owner_is_active: bool


class CheckedKey(NamedTuple):
    """What the config endpoint needs of a valid key, without building model instances."""

    pk: uuid.UUID | str  # as the database driver gives it (hex text on SQLite)
    access: str
    project_id: uuid.UUID | str | None
    environment: str
    allowed_origins: list[str]


# The ApiKey columns (in a values_list) behind KeyState and CheckedKey, in their order.
KEY_STATE_COLUMNS = ("key_hash", "name", "revoked_at", "expires_at", "owner__is_active")
CHECKED_KEY_COLUMNS = ("pk", "access", "project_id", "environment", "allowed_origins")
_NO_KEY = KeyState(None, "", None, None, False)


def split_key(plaintext: str) -> tuple[str, str]:
    """(prefix, secret) of `smk_<prefix>_<secret>`, or ApiKeyError."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        raise ApiKeyError("invalid_api_key", INVALID_KEY_MESSAGE)
    return parts[1], parts[2]


def verify(secret: str, state: KeyState | None, now=None) -> None:
    """Raise ApiKeyError unless `secret` matches the key and it may be used `now`.

    `state` is None when no key has the prefix: the hash is compared anyway, so timing does not
    tell which prefixes exist.
    """
    state = state or _NO_KEY
    key_hash = state.key_hash
    if not hmac.compare_digest(key_hash or "0" * 64, _hash(secret)) or key_hash is None:
        raise ApiKeyError("invalid_api_key", INVALID_KEY_MESSAGE)
    if state.revoked_at is not None:
        raise ApiKeyError(
            "revoked_api_key",
            f"The API key '{state.name}' was revoked. Create a new one under Settings → API keys.",
        )
    expires_at = state.expires_at
    if expires_at is not None and expires_at <= (now or timezone.now()):
        raise ApiKeyError(
            "expired_api_key",
            f"The API key '{state.name}' expired on {expires_at:%Y-%m-%d %H:%M} UTC. "
            "Roll it or create a new one under Settings → API keys.",
        )
    if not state.owner_is_active:
        raise ApiKeyError("invalid_api_key", "The API key's owner account is disabled.")


def authenticate_key(plaintext: str, now=None) -> ApiKey:
    """The key (with its owner) for `plaintext` if it is valid now, else ApiKeyError."""
    prefix, secret = split_key(plaintext)
    api_key = _key_with_owner(prefix)
    state = None
    if api_key is not None:
        state = KeyState(
            api_key.key_hash,
            api_key.name,
            api_key.revoked_at,
            api_key.expires_at,
            api_key.owner.is_active,
        )
    verify(secret, state, now)
    return api_key


def record_failure(request) -> tuple[int, str] | None:
    """Count a refused key from this caller's address (the only cache write: valid keys pay
    nothing); a message saying when to retry once the address used up its failures."""
    limit = FailureLimit(
        "api-key-ip", settings.API_KEY_FAILURES_PER_IP, settings.API_KEY_FAILURE_WINDOW_SECONDS
    )
    seconds = limit.record_failure(client_ip(request))
    if seconds is None:
        return None
    return seconds, (
        f"Too many requests with an invalid API key from this address (limit "
        f"{limit.limit} in {wait_in_words(limit.window)}). Retry in {seconds} s with a valid key."
    )


def record_use(api_key: ApiKey | CheckedKey, now=None) -> None:
    """Write last_used_at at most once a minute per key (the cache gate is shared by nodes)."""
    if cache.add(f"api-key-used:{uuid.UUID(str(api_key.pk)).hex}", 1, LAST_USED_RESOLUTION):
        now = now or timezone.now()
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        if isinstance(api_key, ApiKey):
            api_key.last_used_at = now


def revoke_api_key(api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        with transaction.atomic():
            api_key.save(update_fields=["revoked_at"])
            record("key.revoked", team=api_key.team, project=api_key.project, target=api_key)
    return api_key


def roll_api_key(api_key: ApiKey, grace: timedelta = DEFAULT_GRACE) -> IssuedKey:
    """A new key with the same options; the old one keeps working for `grace`, then expires."""
    now = timezone.now()
    if api_key.status(now) in ("revoked", "expired"):
        raise ValidationError(
            "A revoked or expired key cannot be rolled; create a new one.", code="not_active"
        )
    if grace < timedelta(0) or grace > timedelta(days=30):
        raise ValidationError({"grace": "The grace period is between 0 and 30 days."})
    with transaction.atomic():
        issued = issue_api_key(
            team=api_key.team,
            owner=api_key.owner,
            name=api_key.name,
            project=api_key.project,
            environment=api_key.environment,
            access=api_key.access,
            expires_at=api_key.expires_at
            if api_key.expires_at and api_key.expires_at > now
            else None,
            allowed_origins=api_key.allowed_origins,
        )
        old_expiry = now + grace
        if api_key.expires_at is None or api_key.expires_at > old_expiry:
            api_key.expires_at = old_expiry
        api_key.replaced_by = issued.api_key
        api_key.save(update_fields=["expires_at", "replaced_by"])
        record(
            "key.rolled",
            team=api_key.team,
            project=api_key.project,
            target=api_key,
            changes={"replacedBy": [None, str(issued.api_key.pk)]},
        )
    return issued


def origin_allowed_by_any_key(origin: str) -> bool:
    """For CORS preflights, which carry no key: is `origin` listed on some usable key?"""
    if not origin:
        return False
    return (
        ApiKey.objects.filter(
            revoked_at__isnull=True, allowed_origins__icontains=f'"{origin.lower()}"'
        )
        .exclude(expires_at__lte=timezone.now())
        .exists()
    )
