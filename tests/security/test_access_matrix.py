# ruff: noqa: E501 -- the access table reads best one route per line
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
#   anon: no credentials
#   owner / admin / member: users of the team Acme (Shop's team) with that role, working in it
#   other: a user of another team, signed in
#   proj_key: a write key restricted to another project (Blog)
#   env_key: a write key restricted to Shop's `staging` (the objects are `production`'s)
#   config: a config-level key          read: a read key (writing is refused)
#   revoked / expired: write keys that no longer work
assert CALLERS == (
    "anon", "owner", "admin", "member", "other",
    "proj_key", "env_key", "config", "read", "revoked", "expired",
)  # fmt: skip

KEYS_ON_PAGES = (302,) * 6  # pages take the session only: a key is no login
# Pages of Shop, by the role they need:
MEMBER_GET = (302, 200, 200, 200, 404, *KEYS_ON_PAGES)
MEMBER_POST = (302, 302, 302, 302, 404, *KEYS_ON_PAGES)
MEMBER_POST_FRAGMENT = (302, 200, 200, 200, 404, *KEYS_ON_PAGES)  # answers with HTML
ADMIN_GET = (302, 200, 200, 403, 404, *KEYS_ON_PAGES)
ADMIN_POST = (302, 302, 302, 403, 404, *KEYS_ON_PAGES)
ADMIN_POST_FRAGMENT = (302, 200, 200, 403, 404, *KEYS_ON_PAGES)
OWNER_GET = (302, 200, 403, 403, 404, *KEYS_ON_PAGES)
OWNER_POST = (302, 302, 403, 403, 404, *KEYS_ON_PAGES)
OWNER_POST_FRAGMENT = (302, 200, 403, 403, 404, *KEYS_ON_PAGES)
SIGNED_IN_GET = (302, 200, 200, 200, 200, *KEYS_ON_PAGES)
SIGNED_IN_POST = (302, 302, 302, 302, 302, *KEYS_ON_PAGES)
PUBLIC = (200,) * 11
DEBUG_ONLY = (404,) * 11  # DEBUG is off in tests: the debug endpoints do not exist
NO_SIGNATURE = (401,) * 11  # the webhook's credential is its signature, nothing else
DEAD_KEYS = (401, 401)

# fmt: off
TABLE = {
    # route, method: anon, owner, admin, member, other, proj_key, env_key, config, read, revoked, expired
    ("sentry-config", "GET"):                   (401, 401, 401, 401, 401, 404, 403, 200, 200, *DEAD_KEYS),
    ("sentry-ci-credentials", "GET"):           (401, 401, 401, 401, 401, 403, 403, 403, 403, *DEAD_KEYS),
    ("sentry-loader", "GET"):                   PUBLIC,  # public like the DSN it carries
    ("sentry-browser-sdk", "GET"):              PUBLIC,
    ("home", "GET"):                            (302,) * 11,
    ("healthz", "GET"):                         PUBLIC,
    ("favicon", "GET"):                         (301,) * 11,
    ("signup", "GET"):                          (200, 302, 302, 302, 302, 200, 200, 200, 200, 200, 200),
    ("login", "GET"):                           PUBLIC,
    ("logout", "GET"):                          PUBLIC,
    ("logout", "POST"):                         (302,) * 11,
    ("password_change", "GET"):                 SIGNED_IN_GET,
    ("password_change_done", "GET"):            SIGNED_IN_GET,
    ("password_reset", "GET"):                  PUBLIC,
    ("password_reset_done", "GET"):             PUBLIC,
    ("password_reset_confirm", "GET"):          PUBLIC,
    ("password_reset_complete", "GET"):         PUBLIC,
    ("explainer:issues", "GET"):                MEMBER_GET,
    ("explainer:issue", "GET"):                 MEMBER_GET,
    ("explainer:import-event", "GET"):          MEMBER_GET,
    ("explainer:import-event", "POST"):         MEMBER_POST,
    ("explainer:imported-event", "GET"):        MEMBER_GET,
    ("explainer:explain-issue", "POST"):        MEMBER_POST,
    ("explainer:explain-event", "POST"):        MEMBER_POST,
    ("explainer:explanations", "GET"):          MEMBER_GET,
    ("explainer:explanation", "GET"):           MEMBER_GET,
    ("explainer:retry-explanation", "POST"):    MEMBER_POST,
    ("explainer:explanation-markdown", "GET"):  MEMBER_GET,
    ("integrations:project", "GET"):            MEMBER_GET,
    ("integrations:project-edit", "GET"):       ADMIN_GET,
    ("integrations:project-edit", "POST"):      ADMIN_POST,
    ("integrations:project-active", "GET"):     ADMIN_GET,
    ("integrations:project-active", "POST"):    ADMIN_POST,
    ("integrations:project-delete", "GET"):     OWNER_GET,
    ("integrations:project-delete", "POST"):    OWNER_POST,
    ("integrations:use-config", "GET"):         MEMBER_GET,
    ("integrations:new", "GET"):                ADMIN_GET,
    ("integrations:new", "POST"):               ADMIN_POST,
    ("integrations:edit", "GET"):               ADMIN_GET,
    ("integrations:edit", "POST"):              ADMIN_POST,
    ("integrations:set-active", "GET"):         ADMIN_GET,
    ("integrations:set-active", "POST"):        ADMIN_POST,
    ("integrations:delete", "GET"):             ADMIN_GET,
    ("integrations:delete", "POST"):            ADMIN_POST,
    ("integrations:dsn-reveal", "POST"):        MEMBER_POST_FRAGMENT,
    ("integrations:dsn-hide", "GET"):           MEMBER_GET,
    ("integrations:dsn-copy", "POST"):          MEMBER_POST_FRAGMENT,
    ("integrations:loader-issue", "POST"):      ADMIN_POST,
    ("integrations:loader-revoke", "POST"):     ADMIN_POST,
    ("integrations:loader-origins", "POST"):    ADMIN_POST,
    # The project list and keys pages show the team chosen in the switcher (Acme; the other
    # user's own team).
    ("projects:list", "GET"):                   SIGNED_IN_GET,
    ("projects:list", "POST"):                  (302, 302, 302, 403, 302, *KEYS_ON_PAGES),
    ("api-keys:list", "GET"):                   (302, 200, 200, 403, 200, *KEYS_ON_PAGES),
    ("api-keys:list", "POST"):                  (302, 200, 200, 403, 200, *KEYS_ON_PAGES),
    ("api-keys:detail", "GET"):                 ADMIN_GET,
    ("api-keys:revoke", "GET"):                 ADMIN_GET,
    ("api-keys:revoke", "POST"):                ADMIN_POST,
    ("api-keys:roll", "GET"):                   ADMIN_GET,
    ("api-keys:roll", "POST"):                  ADMIN_POST_FRAGMENT,
    ("teams:list", "GET"):                      SIGNED_IN_GET,
    ("teams:list", "POST"):                     SIGNED_IN_POST,
    ("teams:switch", "POST"):                   MEMBER_POST,
    ("teams:detail", "GET"):                    MEMBER_GET,
    ("teams:invite", "POST"):                   OWNER_POST_FRAGMENT,
    ("teams:change-role", "POST"):              OWNER_POST,
    ("teams:remove-member", "POST"):            OWNER_POST,
    ("teams:leave", "POST"):                    MEMBER_POST,  # the last owner is told why not
    ("teams:revoke-invitation", "POST"):        OWNER_POST,
    ("teams:audit", "GET"):                     ADMIN_GET,
    ("teams:rotation", "POST"):                 OWNER_POST,
    ("teams:accept", "GET"):                    SIGNED_IN_GET,
    ("teams:accept", "POST"):                   (302, 422, 422, 422, 302, *KEYS_ON_PAGES),
    ("api-projects", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 403, 200, *DEAD_KEYS),
    ("api-projects", "POST"):                   (401, 201, 201, 403, 201, 403, 403, 403, 403, *DEAD_KEYS),
    ("api-project", "GET"):                     (401, 200, 200, 200, 404, 404, 200, 403, 200, *DEAD_KEYS),
    ("api-project", "PATCH"):                   (401, 200, 200, 403, 404, 404, 403, 403, 403, *DEAD_KEYS),
    ("api-project", "DELETE"):                  (401, 204, 403, 403, 404, 404, 403, 403, 403, *DEAD_KEYS),
    ("api-keys", "GET"):                        (401, 200, 200, 200, 200, 403, 403, 403, 200, *DEAD_KEYS),
    ("api-keys", "POST"):                       (401, 201, 201, 403, 201, 403, 403, 403, 403, *DEAD_KEYS),
    ("api-key", "GET"):                         (401, 200, 200, 403, 404, 403, 403, 403, 200, *DEAD_KEYS),
    ("api-key", "DELETE"):                      (401, 200, 200, 403, 404, 403, 403, 403, 403, *DEAD_KEYS),
    ("api-key-roll", "POST"):                   (401, 201, 201, 403, 404, 403, 403, 403, 403, *DEAD_KEYS),
    ("api-sentry-integrations", "GET"):         (401, 200, 200, 200, 404, 404, 200, 403, 200, *DEAD_KEYS),
    ("api-sentry-integrations", "POST"):        (401, 201, 201, 403, 404, 404, 403, 403, 403, *DEAD_KEYS),
    ("api-sentry-integration", "GET"):          (401, 200, 200, 200, 404, 404, 404, 403, 200, *DEAD_KEYS),
    ("api-sentry-integration", "PATCH"):        (401, 200, 200, 403, 404, 404, 404, 403, 403, *DEAD_KEYS),
    ("api-sentry-integration", "DELETE"):       (401, 204, 204, 403, 404, 404, 404, 403, 403, *DEAD_KEYS),
    ("api-sentry-issues", "GET"):               (401, 200, 200, 200, 404, 404, 403, 403, 200, *DEAD_KEYS),
    ("api-sentry-issue", "GET"):                (401, 200, 200, 200, 404, 404, 403, 403, 200, *DEAD_KEYS),
    ("api-events", "POST"):                     (401, 201, 201, 201, 404, 404, 403, 403, 403, *DEAD_KEYS),
    ("api-explanations", "GET"):                (401, 200, 200, 200, 404, 404, 200, 403, 200, *DEAD_KEYS),
    ("api-explanations", "POST"):               (401, 202, 202, 202, 404, 404, 403, 403, 403, *DEAD_KEYS),
    ("api-explanation", "GET"):                 (401, 200, 200, 200, 404, 404, 404, 403, 200, *DEAD_KEYS),
    ("api-explanation-retry", "POST"):          (401, 202, 202, 202, 404, 404, 404, 403, 403, *DEAD_KEYS),
    ("api-team-audit", "GET"):                  (401, 200, 200, 403, 404, 403, 403, 403, 200, *DEAD_KEYS),
    ("api-sentry-webhook", "POST"):             NO_SIGNATURE,
    ("debug-test-error", "POST"):               DEBUG_ONLY,
    ("debug-test-message", "POST"):             DEBUG_ONLY,
    ("debug-sentry-status", "GET"):             DEBUG_ONLY,
    ("schema", "GET"):                          (200, 200, 200, 200, 200, 200, 200, 200, 200, *DEAD_KEYS),
    ("docs", "GET"):                            SIGNED_IN_GET,
    ("redoc", "GET"):                           SIGNED_IN_GET,
}
# fmt: on

# The admin lets staff in only (nobody in the matrix is staff): everything else goes to its
# login page. Who sees which rows once in is tested in tests/security/test_admin_scope.py.
ADMIN_ANSWERS = {"admin:login": PUBLIC}
ADMIN_DEFAULT = (302,) * 11


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
