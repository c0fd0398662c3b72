"""GET /api/integrations/sentry/<slug>?environment=<env>: the config applications fetch.

A plain Django view on purpose: it is the hottest path of the product, so it does only what
it must: one query (compiled once) for the key together with the project it may see and that
project's active integrations, a counter in the shared cache, and no database write on most
requests. Keys are never cached per process, so revocation holds on the very next request.
"""

import functools
import hashlib
import json
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db.models import FilteredRelation, Q
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from projects.access import KEY_PROJECTS_RELATION, key_visible_projects_condition
from projects.keys import services as api_keys
from projects.models import ApiKey
from projects.validators import is_valid_environment
from sentry_manager.lib.prepared import PreparedQuery

CORS_METHODS = "GET, OPTIONS"
CORS_HEADERS = "Authorization, If-None-Match"
# A project the key may not see comes back as NULLs (is_active is never NULL otherwise).
PROJECT_FIELDS = ("visible__is_active", "visible__environment")
INTEGRATION_FIELDS = (
    "active__environment",
    "active__dsn",
    "active__org",
    "active__sentry_project",
    "active__traces_sample_rate",
    "active__replays_session_sample_rate",
    "active__replays_on_error_sample_rate",
)
KEY_COLUMNS = len(api_keys.KEY_CHECK_COLUMNS)


def _build_lookup(prefix, slug):
    """Key by prefix, the project the access policy lets it see, its active integrations."""
    slug_condition = Q(**{f"{KEY_PROJECTS_RELATION}__slug": slug})
    return (
        ApiKey.objects.filter(prefix=prefix)
        .annotate(
            visible=FilteredRelation(
                KEY_PROJECTS_RELATION, condition=slug_condition & key_visible_projects_condition()
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
        .values_list(*api_keys.KEY_CHECK_COLUMNS, *PROJECT_FIELDS, *INTEGRATION_FIELDS)
    )


@functools.cache
def lookup_query() -> PreparedQuery:
    return PreparedQuery(
        _build_lookup,
        # The rest is only tested for truth or passed on, as the driver gives it.
        converted=("expires_at", "allowed_origins"),
        prefix="\x00key-prefix\x00",
        slug="\x00project-slug\x00",
    )


class ConfigError(Exception):
    def __init__(self, status: int, code: str, detail: str, headers=None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, headers or {}


def _error_response(error: ConfigError) -> JsonResponse:
    response = JsonResponse({"detail": error.detail, "code": error.code}, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def _authenticate(request, slug: str) -> tuple[api_keys.CheckedKey, list[tuple]]:
    """The checked key and the rows of the project it asked for, from one query."""
    try:
        header = request.META.get("HTTP_AUTHORIZATION")
        prefix, secret = api_keys.split_key(api_keys.parse_authorization(header))
        rows = lookup_query().rows(prefix=prefix, slug=slug)
        api_key = api_keys.checked_key_from_row(secret, rows[0] if rows else None)
    except api_keys.ApiKeyError as error:
        raise ConfigError(401, error.code, error.message, {"WWW-Authenticate": "Bearer"}) from None
    return api_key, [row[KEY_COLUMNS:] for row in rows]


def _throttle_and_record_use(api_key) -> None:
    """A fixed one-minute window per key, counted in the shared cache (all nodes).

    The request that opens a key's window also records its use, so most requests cost one
    cache operation and last_used_at is written at most once a minute.
    """
    limit = settings.CONFIG_ENDPOINT_RATE_PER_MINUTE
    if not limit:
        api_keys.record_use(api_key)
        return

    now = time.time()
    window = int(now // 60)
    counter = f"config-rate:{api_key.pk}:{window}"
    try:
        count = cache.incr(counter)
    except ValueError:
        if cache.add(counter, 1, 61):
            count = 1
            api_keys.record_use(api_key)
        else:
            count = cache.incr(counter)
    if count > limit:
        retry_after = max(1, int((window + 1) * 60 - now) + 1)
        raise ConfigError(
            429,
            "throttled",
            f"Too many requests for this API key (limit {limit} a minute). "
            f"Retry in {retry_after} s, and cache the config in your application.",
            {"Retry-After": str(retry_after)},
        )


def _config(
    api_key: api_keys.CheckedKey, rows: list[tuple], slug: str, requested_env: str | None
) -> dict:
    if requested_env is not None and not is_valid_environment(requested_env):
        raise ConfigError(
            400,
            "invalid_environment",
            f"'{requested_env[:80]}' is not a valid environment name: use 1–64 lowercase "
            "letters, digits, '-', '_' or '.', e.g. ?environment=production.",
        )
    if not rows or rows[0][0] is None:
        raise ConfigError(
            404,
            "project_not_found",
            f"No project '{slug[:100]}' is visible to this API key. Check the slug on the "
            "project page and that the key is not restricted to another project.",
        )
    project_active, default_env = rows[0][:2]
    if not project_active:
        raise ConfigError(
            404,
            "project_inactive",
            f"The project '{slug}' is deactivated. Reactivate it on its page to serve config.",
        )
    environment = requested_env or default_env
    if api_key.environment and environment != api_key.environment:
        raise ConfigError(
            404,
            "integration_not_found",
            f"This API key is restricted to environment '{api_key.environment}', "
            f"not '{environment}'.",
        )
    for row in rows:
        if row[2] == environment:
            _env, dsn, org, project, traces, replays_session, replays_error = row[2:]
            return {
                "dsn": dsn,
                "environment": environment,
                "org": org,
                "project": project,
                "config": {
                    "tracesSampleRate": traces,
                    "replaysSessionSampleRate": replays_session,
                    "replaysOnErrorSampleRate": replays_error,
                },
            }
    active = ", ".join(sorted(row[2] for row in rows if row[2])) or "none"
    raise ConfigError(
        404,
        "integration_not_found",
        f"no active Sentry integration for environment '{environment}' — "
        f"active environments: {active}",
    )


def _requested_environment(request) -> str | None:
    # Applications send just `environment=<name>`, which never needs decoding: reading it
    # straight from the query string skips building a QueryDict on the hottest path.
    name, _, value = request.META.get("QUERY_STRING", "").partition("=")
    if name == "environment" and is_valid_environment(value):
        return value
    return request.GET.get("environment")


def _cors_headers(response, origin: str) -> None:
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
    response["Vary"] = "Origin, Authorization"


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return etag in tags or "*" in tags


@csrf_exempt
@login_not_required
def sentry_config(request, slug: str):
    origin = request.META.get("HTTP_ORIGIN", "")
    if request.method == "OPTIONS":
        # A preflight carries no key, so it is answered for origins that some usable key lists;
        # the real request then gets CORS headers only if its own key lists the origin.
        response = HttpResponse(status=204)
        if origin and api_keys.origin_allowed_by_any_key(origin):
            _cors_headers(response, origin)
            response["Access-Control-Allow-Methods"] = CORS_METHODS
            response["Access-Control-Allow-Headers"] = CORS_HEADERS
            response["Access-Control-Max-Age"] = "600"
        return response
    if request.method not in ("GET", "HEAD"):
        response = _error_response(
            ConfigError(405, "method_not_allowed", f"Use GET, not {request.method}.")
        )
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response

    api_key = None
    try:
        api_key, rows = _authenticate(request, slug)
        _throttle_and_record_use(api_key)
        config = _config(api_key, rows, slug, _requested_environment(request))
    except ConfigError as error:
        response = _error_response(error)
    else:
        body = json.dumps(config).encode()
        etag = _etag(body)
        if _matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
    if api_key is not None and origin and origin.lower() in api_key.allowed_origins:
        _cors_headers(response, origin)
    return response
