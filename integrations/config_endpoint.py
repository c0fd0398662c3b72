"""GET /api/integrations/sentry/<slug>?environment=<env>: the config applications fetch.

A plain Django view on purpose: it is the hottest path of the product. It keeps HTTP only —
the Authorization header, CORS, the ETag and error responses; the rules are in config.py.
One query per request (compiled once), one round trip to the shared cache (the key's usage and
rate counters) and no database write on most requests. Keys are never cached per process, so
revocation holds on the next request.
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from projects.keys import services as api_keys
from projects.keys import usage
from projects.validators import is_valid_environment
from sentry_manager.lib.errors import error_body
from sentry_manager.lib.http import etag_for, etag_matches

from . import config
from .config import ConfigError

CORS_METHODS = "GET, OPTIONS"
CORS_HEADERS = "Authorization, If-None-Match"


def _error_response(error: ConfigError) -> JsonResponse:
    response = JsonResponse(error_body(error.detail, error.code), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def _authenticate(request, slug: str, presented: dict):
    """The checked key and the rows of the project it asked for, from one query; the key's
    prefix goes into `presented` as soon as it is read (usage counts failures too)."""
    try:
        header = request.META.get("HTTP_AUTHORIZATION")
        prefix, secret = api_keys.split_key(api_keys.parse_authorization(header))
        presented["prefix"] = prefix
        rows = config.lookup(prefix, slug)
        return config.checked_key(secret, rows), rows
    except api_keys.ApiKeyError as error:
        throttled = api_keys.record_failure(request)  # a cache write on failures only
        if throttled is not None:
            seconds, message = throttled
            raise ConfigError(429, "throttled", message, {"Retry-After": str(seconds)}) from None
        raise ConfigError(401, error.code, error.message, {"WWW-Authenticate": "Bearer"}) from None


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
    presented = {}
    try:
        api_key, rows = _authenticate(request, slug, presented)
        answer = config.resolve(api_key, rows, slug, _requested_environment(request))
    except ConfigError as error:
        response = _error_response(error)
        outcome = error.code
    else:
        body = json.dumps(answer.as_json()).encode()
        etag = etag_for(body)
        if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
            response = HttpResponseNotModified()
            outcome = usage.NOT_MODIFIED
        else:
            response = HttpResponse(body, content_type="application/json")
            outcome = usage.OK
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
    if api_key is None:
        usage.count(presented.get("prefix", ""), outcome, origin)
        return response
    # Counted once the answer is known: one round trip to the shared cache for the usage
    # counter and the key's rate window; over the rate, the answer becomes a 429.
    throttled = config.count_use(api_key, usage.Use.now(presented["prefix"], outcome, origin))
    if throttled is not None:
        response = _error_response(throttled)
    if origin and origin.lower() in api_key.allowed_origins:
        _cors_headers(response, origin)
    return response
