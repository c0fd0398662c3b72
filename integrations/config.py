"""The rules of the config endpoint: which integration answers an application, or why none does.

`lookup(prefix, slug)` reads, in one query compiled once, the key with that prefix, the project
with that slug *as the access policy lets the key see it*, and that project's active
integrations. `checked_key(...)` verifies the key; `resolve(...)` applies the rules (project
active, the project's default environment, the key's restrictions, which integration answers)
and returns a SentryConfig or raises ConfigError. The view in config_endpoint.py keeps HTTP.
"""

import functools
import json
import time
from typing import NamedTuple

from django.conf import settings
from django.db.models import FilteredRelation, Q
from django.db.models.expressions import RawSQL

from projects import access
from projects.access import Action
from projects.keys import services as api_keys
from projects.keys import usage
from projects.keys.models import ApiKey
from projects.services import environment_or_default
from projects.validators import is_valid_environment
from sentry_manager.lib import counters
from sentry_manager.lib.prepared import PreparedQuery

# ConfigRow field → the column of the lookup (a values_list path from ApiKey).
COLUMNS = {
    **dict(zip(api_keys.KeyState._fields, api_keys.KEY_STATE_COLUMNS, strict=True)),
    **{
        f"key_{name}": column
        for name, column in zip(
            api_keys.CheckedKey._fields, api_keys.CHECKED_KEY_COLUMNS, strict=True
        )
    },
    # The project the key asked for: NULLs when the policy does not let the key see it.
    "project_is_active": "visible__is_active",
    "default_environment": "visible__environment",
    # One active integration of it per row: NULLs when it has none.
    "environment": "active__environment",
    "dsn": "active__dsn",
    "org": "active__org",
    "sentry_project": "active__sentry_project",
    "traces_sample_rate": "active__traces_sample_rate",
    "replays_session_sample_rate": "active__replays_session_sample_rate",
    "replays_on_error_sample_rate": "active__replays_on_error_sample_rate",
}
ConfigRow = NamedTuple("ConfigRow", [(name, object) for name in COLUMNS])


class SentryConfig(NamedTuple):
    dsn: str
    environment: str
    org: str
    project: str
    traces_sample_rate: float
    replays_session_sample_rate: float
    replays_on_error_sample_rate: float

    def as_json(self) -> dict:
        """The endpoint's body, exactly as DESIGN.md §5 shows it."""
        return {
            "dsn": self.dsn,
            "environment": self.environment,
            "org": self.org,
            "project": self.project,
            "config": {
                "tracesSampleRate": self.traces_sample_rate,
                "replaysSessionSampleRate": self.replays_session_sample_rate,
                "replaysOnErrorSampleRate": self.replays_on_error_sample_rate,
            },
        }


class ConfigError(Exception):
    """Why there is no config for this request: an HTTP status, an error code, a message."""

    def __init__(self, status: int, code: str, detail: str, headers=None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, headers or {}


# --- The lookup -------------------------------------------------------------------------------


def _build_lookup(prefix, slug):
    slug_condition = Q(**{f"{access.KEY_PROJECTS_RELATION}__slug": slug})
    return (
        ApiKey.objects.filter(prefix=prefix)
        .annotate(
            visible=FilteredRelation(
                access.KEY_PROJECTS_RELATION,
                condition=slug_condition & access.key_visible_projects_condition(),
            ),
            active=FilteredRelation(
                "visible__sentry_integrations",
                # A literal, not a bound parameter: SQLite re-plans a statement on every run
                # when a parameter could pick a partial index (the one-active-integration
                # constraint), which made this query ten times slower.
                condition=Q(visible__sentry_integrations__is_active=RawSQL("TRUE", ())),
            ),
        )
        .order_by()
        .values_list(*COLUMNS.values())
    )


@functools.cache
def lookup_query() -> PreparedQuery:
    return PreparedQuery(
        _build_lookup,
        # The rest is only tested for truth or passed on, as the driver gives it.
        converted=("expires_at",),
        prefix="\x00key-prefix\x00",
        slug="\x00project-slug\x00",
    )


def lookup(prefix: str, slug: str) -> list[ConfigRow]:
    return [ConfigRow._make(row) for row in lookup_query().rows(prefix=prefix, slug=slug)]


# --- The rules --------------------------------------------------------------------------------


def checked_key(secret: str, rows: list[ConfigRow]) -> api_keys.CheckedKey:
    """The key the rows were read for, once `secret` matches it (else ApiKeyError)."""
    row = rows[0] if rows else None
    state = None
    if row is not None:
        state = api_keys.KeyState(
            row.key_hash, row.name, row.revoked_at, row.expires_at, row.owner_is_active
        )
    api_keys.verify(secret, state)
    return api_keys.CheckedKey(
        row.key_pk,
        row.key_access,
        row.key_project_id,
        row.key_environment,
        _origins(row.key_allowed_origins),
    )


def _origins(stored) -> list[str]:
    # The driver gives the JSON list as text; most keys list none, which needs no parsing.
    if not isinstance(stored, str):
        return stored or []
    return [] if stored == "[]" else json.loads(stored)


def resolve(
    key: api_keys.CheckedKey, rows: list[ConfigRow], slug: str, requested: str | None
) -> SentryConfig:
    """The config that answers `key` for project `slug` and environment `requested` (the
    project's default when None), or ConfigError saying why there is none."""
    check_environment(requested)
    project = rows[0]
    if project.project_is_active is None:
        raise ConfigError(
            404,
            "project_not_found",
            f"No project '{slug[:100]}' is visible to this API key. Check the slug on the "
            "project page and that the key is not restricted to another project.",
        )
    if not project.project_is_active:
        raise project_inactive(slug)
    # The same rule (and function) the explainer uses when no environment is given.
    environment = environment_or_default(requested, project.default_environment)
    refusal = _refusal(key.access, key.project_id, key.environment, environment)
    if refusal is not None:
        raise ConfigError(403, access.AccessRefused.error_code, refusal)
    for row in rows:
        if row.environment == environment:
            return SentryConfig(
                row.dsn,
                environment,
                row.org,
                row.sentry_project,
                row.traces_sample_rate,
                row.replays_session_sample_rate,
                row.replays_on_error_sample_rate,
            )
    raise no_integration(environment, (row.environment for row in rows if row.environment))


@functools.lru_cache(maxsize=4096)
def _refusal(level: str, project_id, key_environment: str, environment: str) -> str | None:
    # The policy's answer depends on these plain values only: asked once per combination.
    restriction = access.Restriction(level, project_id, key_environment)
    return access.key_refusal(restriction, Action.CONFIG, environment)


def check_environment(requested: str | None) -> None:
    """ConfigError 400 unless `requested` is None (the default) or a valid environment name."""
    if requested is not None and not is_valid_environment(requested):
        raise ConfigError(
            400,
            "invalid_environment",
            f"'{requested[:80]}' is not a valid environment name: use 1–64 lowercase "
            "letters, digits, '-', '_' or '.', e.g. ?environment=production.",
        )


def project_inactive(slug: str) -> ConfigError:
    return ConfigError(
        404,
        "project_inactive",
        f"The project '{slug}' is deactivated. Reactivate it on its page to serve config.",
    )


def no_integration(environment: str, active_environments) -> ConfigError:
    """The 404 that names the environment asked for and the ones that would answer."""
    active = ", ".join(sorted(active_environments)) or "none"
    return ConfigError(
        404,
        "integration_not_found",
        f"no active Sentry integration for environment '{environment}' — "
        f"active environments: {active}",
    )


def count_use(key: api_keys.CheckedKey, prefix: str, outcome: str, origin: str):
    """Count a use of `key` that answered `outcome`; the 429 to answer instead when the key
    is over its rate (None otherwise).

    The rate is a fixed minute per key counted by every node (counters.tally: in batches of
    1% of the limit, so it is exact for small limits and at most 1% over per process for large
    ones). The request that opens a window records the key's use: last_used_at is written at
    most once a minute.
    """
    limit = settings.CONFIG_ENDPOINT_RATE_PER_MINUTE  # 0: unlimited, the window still counted
    now = time.time()
    window = int(now // 60)
    batch = max(1, min(100, limit // 100)) if limit else 100
    requests = counters.tally.add(f"config-rate:{key.pk}:{window}", 61, batch)
    if requests == 1:
        api_keys.record_use(key)
    if not limit or requests <= limit:
        usage.count(prefix, outcome, origin)
        return None
    usage.count(prefix, "throttled", origin)
    retry_after = max(1, int((window + 1) * 60 - now) + 1)
    return ConfigError(
        429,
        "throttled",
        f"Too many requests for this API key (limit {limit} a minute). "
        f"Retry in {retry_after} s, and cache the config in your application.",
        {"Retry-After": str(retry_after)},
    )
