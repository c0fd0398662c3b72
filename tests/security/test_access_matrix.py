"""The access matrix: every route × every kind of caller, against one table of expected answers.

The routes come from Django's URL resolver, so a route added without a row in TABLE fails
`test_every_route_is_in_the_table`. Each cell runs in a savepoint rolled back afterwards, so
one caller's change never shows in the next one's answer. Never a 500.
"""

import json
import re

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from .world import CALLERS, World

# Callers, in the order of each row below:
#   anon: no credentials              owner: the projects' owner, signed in
#   other: another user, signed in     proj_key: a write key restricted to another project
#   env_key: a write key restricted to Shop's `staging` (the objects are `production`'s)
#   config: a config-level key          read: a read key (writing is refused)
#   revoked / expired: write keys that no longer work
assert CALLERS == (
    "anon",
    "owner",
    "other",
    "proj_key",
    "env_key",
    "config",
    "read",
    "revoked",
    "expired",
)

PAGE_GET = (302, 200, 404, 302, 302, 302, 302, 302, 302)  # pages: session only, keys ignored
PAGE_POST = (302, 302, 404, 302, 302, 302, 302, 302, 302)
PAGE_POST_FRAGMENT = (302, 200, 404, 302, 302, 302, 302, 302, 302)  # answers with HTML
PUBLIC = (200,) * 9
SIGNED_IN_PAGE = (302, 200, 200, 302, 302, 302, 302, 302, 302)
DEBUG_ONLY = (404,) * 9  # DEBUG is off in tests: the debug endpoints do not exist
NO_SIGNATURE = (401,) * 9  # the webhook's credential is its signature, nothing else

# fmt: off
TABLE = {
    # route name, method: anon, owner, other, proj_key, env_key, config, read, revoked, expired
    ("sentry-config", "GET"):                   (401, 401, 401, 404, 403, 200, 200, 401, 401),
    ("sentry-ci-credentials", "GET"):           (401, 401, 401, 403, 403, 403, 403, 401, 401),
    ("sentry-loader", "GET"):                   PUBLIC,  # public like the DSN it carries
    ("sentry-browser-sdk", "GET"):              PUBLIC,
    ("home", "GET"):                            (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("healthz", "GET"):                         PUBLIC,
    ("favicon", "GET"):                         (301,) * 9,
    ("signup", "GET"):                          (200, 302, 302, 200, 200, 200, 200, 200, 200),
    ("login", "GET"):                           PUBLIC,
    ("logout", "GET"):                          PUBLIC,
    ("logout", "POST"):                         (302,) * 9,
    ("password_change", "GET"):                 SIGNED_IN_PAGE,
    ("password_change_done", "GET"):            SIGNED_IN_PAGE,
    ("password_reset", "GET"):                  PUBLIC,
    ("password_reset_done", "GET"):             PUBLIC,
    ("password_reset_confirm", "GET"):          PUBLIC,
    ("password_reset_complete", "GET"):         PUBLIC,
    ("explainer:issues", "GET"):                PAGE_GET,
    ("explainer:issue", "GET"):                 PAGE_GET,
    ("explainer:import-event", "GET"):          PAGE_GET,
    ("explainer:import-event", "POST"):         PAGE_POST,
    ("explainer:imported-event", "GET"):        PAGE_GET,
    ("explainer:explain-issue", "POST"):        PAGE_POST,
    ("explainer:explain-event", "POST"):        PAGE_POST,
    ("explainer:explanations", "GET"):          PAGE_GET,
    ("explainer:explanation", "GET"):           PAGE_GET,
    ("explainer:retry-explanation", "POST"):    PAGE_POST,
    ("explainer:explanation-markdown", "GET"):  PAGE_GET,
    ("integrations:project", "GET"):            PAGE_GET,
    ("integrations:project-edit", "GET"):       PAGE_GET,
    ("integrations:project-edit", "POST"):      PAGE_POST,
    ("integrations:project-active", "GET"):     PAGE_GET,
    ("integrations:project-active", "POST"):    PAGE_POST,
    ("integrations:project-delete", "GET"):     PAGE_GET,
    ("integrations:project-delete", "POST"):    PAGE_POST,
    ("integrations:use-config", "GET"):         PAGE_GET,
    ("integrations:new", "GET"):                PAGE_GET,
    ("integrations:new", "POST"):               PAGE_POST,
    ("integrations:edit", "GET"):               PAGE_GET,
    ("integrations:edit", "POST"):              PAGE_POST,
    ("integrations:set-active", "GET"):         PAGE_GET,
    ("integrations:set-active", "POST"):        PAGE_POST,
    ("integrations:delete", "GET"):             PAGE_GET,
    ("integrations:delete", "POST"):            PAGE_POST,
    ("integrations:dsn-reveal", "POST"):        PAGE_POST_FRAGMENT,
    ("integrations:dsn-hide", "GET"):           PAGE_GET,
    ("integrations:dsn-copy", "POST"):          PAGE_POST_FRAGMENT,
    ("integrations:loader-issue", "POST"):      PAGE_POST,
    ("integrations:loader-revoke", "POST"):     PAGE_POST,
    ("integrations:loader-origins", "POST"):    PAGE_POST,
    ("projects:list", "GET"):                   (302, 200, 200, 302, 302, 302, 302, 302, 302),
    ("projects:list", "POST"):                  (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("api-keys:list", "GET"):                   (302, 200, 200, 302, 302, 302, 302, 302, 302),
    ("api-keys:list", "POST"):                  (302, 200, 200, 302, 302, 302, 302, 302, 302),
    ("api-keys:revoke", "GET"):                 PAGE_GET,
    ("api-keys:revoke", "POST"):                PAGE_POST,
    ("api-keys:roll", "GET"):                   PAGE_GET,
    ("api-keys:roll", "POST"):                  PAGE_POST_FRAGMENT,
    ("api-projects", "GET"):                    (401, 200, 200, 200, 200, 403, 200, 401, 401),
    ("api-projects", "POST"):                   (401, 201, 201, 403, 403, 403, 403, 401, 401),
    ("api-project", "GET"):                     (401, 200, 404, 404, 200, 403, 200, 401, 401),
    ("api-project", "PATCH"):                   (401, 200, 404, 404, 403, 403, 403, 401, 401),
    ("api-project", "DELETE"):                  (401, 204, 404, 404, 403, 403, 403, 401, 401),
    ("api-keys", "GET"):                        (401, 200, 200, 403, 403, 403, 200, 401, 401),
    ("api-keys", "POST"):                       (401, 201, 201, 403, 403, 403, 403, 401, 401),
    ("api-key", "GET"):                         (401, 200, 404, 403, 403, 403, 200, 401, 401),
    ("api-key", "DELETE"):                      (401, 200, 404, 403, 403, 403, 403, 401, 401),
    ("api-key-roll", "POST"):                   (401, 201, 404, 403, 403, 403, 403, 401, 401),
    ("api-sentry-integrations", "GET"):         (401, 200, 404, 404, 200, 403, 200, 401, 401),
    ("api-sentry-integrations", "POST"):        (401, 201, 404, 404, 403, 403, 403, 401, 401),
    ("api-sentry-integration", "GET"):          (401, 200, 404, 404, 404, 403, 200, 401, 401),
    ("api-sentry-integration", "PATCH"):        (401, 200, 404, 404, 404, 403, 403, 401, 401),
    ("api-sentry-integration", "DELETE"):       (401, 204, 404, 404, 404, 403, 403, 401, 401),
    ("api-sentry-issues", "GET"):               (401, 200, 404, 404, 403, 403, 200, 401, 401),
    ("api-sentry-issue", "GET"):                (401, 200, 404, 404, 403, 403, 200, 401, 401),
    ("api-events", "POST"):                     (401, 201, 404, 404, 403, 403, 403, 401, 401),
    ("api-explanations", "GET"):                (401, 200, 404, 404, 200, 403, 200, 401, 401),
    ("api-explanations", "POST"):               (401, 202, 404, 404, 403, 403, 403, 401, 401),
    ("api-explanation", "GET"):                 (401, 200, 404, 404, 404, 403, 200, 401, 401),
    ("api-explanation-retry", "POST"):          (401, 202, 404, 404, 404, 403, 403, 401, 401),
    ("api-sentry-webhook", "POST"):             NO_SIGNATURE,
    ("debug-test-error", "POST"):               DEBUG_ONLY,
    ("debug-test-message", "POST"):             DEBUG_ONLY,
    ("debug-sentry-status", "GET"):             DEBUG_ONLY,
    ("schema", "GET"):                          (200, 200, 200, 200, 200, 200, 200, 401, 401),
    ("docs", "GET"):                            SIGNED_IN_PAGE,
    ("redoc", "GET"):                           SIGNED_IN_PAGE,
}
# fmt: on

# The admin lets staff in only (nobody in the matrix is staff): everything else goes to its
# login page. Who sees which rows once in is tested in tests/security/test_admin_scope.py.
ADMIN_ANSWERS = {"admin:login": PUBLIC}
ADMIN_DEFAULT = (302,) * 9


def _routes(patterns=None, prefix="", namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


ROUTES = dict(_routes())
ADMIN_ROUTES = sorted(name for name in ROUTES if name.startswith("admin:"))


def test_every_route_is_in_the_table():
    app_routes = {name for name in ROUTES if not name.startswith("admin:")}
    tabled = {name for name, _method in TABLE}
    assert app_routes - tabled == set(), "routes without a row in the access table"
    assert tabled - app_routes == set(), "rows for routes that no longer exist"


def _url(route: str, world: World) -> str:
    path = ROUTES[route]
    path = re.sub(r"\^|\$", "", path)  # the admin's regex routes

    def value(match):
        return world.url_value(route, match.group("name"))

    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, path)
    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, path)
    return "/" + path


def _call(world: World, caller: str, route: str, method: str):
    client = world.client(caller)
    url = _url(route, world)
    body = world.body(route, method)
    if url.startswith("/api/"):
        data = json.dumps(body) if body is not None else None
        return client.generic(method, url, data or "", content_type="application/json")
    if method == "GET":
        return client.get(url)
    return client.post(url, body or {})


def _check(world: World, route: str, method: str, expected: tuple) -> list[str]:
    wrong = []
    for caller, status in zip(CALLERS, expected, strict=True):
        with transaction.atomic():
            response = _call(world, caller, route, method)
            transaction.set_rollback(True)
        if response.status_code != status:
            detail = response.content[:200].decode(errors="replace")
            wrong.append(
                f"{method} {route} as {caller}: {response.status_code}, not {status} {detail}"
            )
    return wrong


@pytest.mark.parametrize(("route", "method"), sorted(TABLE))
def test_route_answers_each_caller_as_the_table_says(world, route, method):
    assert _check(world, route, method, TABLE[(route, method)]) == []


@pytest.mark.parametrize("route", ADMIN_ROUTES)
def test_admin_routes_let_no_one_of_the_matrix_in(world, route):
    assert _check(world, route, "GET", ADMIN_ANSWERS.get(route, ADMIN_DEFAULT)) == []
