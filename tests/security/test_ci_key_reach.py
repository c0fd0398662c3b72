"""A ci key may call the CI endpoint and nothing else: every route from the URL resolver.

On any other route it gets what a caller without credentials gets (the login redirect, a 401,
a public page), or a 403 naming its level — never more.
"""

import pytest
from django.db import transaction

from .test_access_matrix import ADMIN_ROUTES, ROUTES, TABLE, _call

CI_ROUTE = ("sentry-ci-credentials", "GET")
ALL = sorted({*TABLE, *((name, "GET") for name in ADMIN_ROUTES)})


def _answer(world, caller, route, method):
    with transaction.atomic():
        response = _call(world, caller, route, method)
        transaction.set_rollback(True)
    return response


def test_the_resolver_has_the_ci_route():
    assert CI_ROUTE[0] in ROUTES
    assert len(ALL) > 80


def test_a_ci_key_fetches_its_projects_ci_credentials(world):
    response = _answer(world, "ci", *CI_ROUTE)
    assert response.status_code == 200, response.content
    assert set(response.json()) == {
        "SENTRY_AUTH_TOKEN",
        "SENTRY_ORG",
        "SENTRY_PROJECT",
        "SENTRY_URL",
    }


@pytest.mark.parametrize(("route", "method"), [item for item in ALL if item != CI_ROUTE])
def test_a_ci_key_gets_nothing_more_than_no_credentials(world, route, method):
    as_ci = _answer(world, "ci", route, method)
    as_anon = _answer(world, "anon", route, method)
    if as_ci.status_code == as_anon.status_code:
        return
    assert as_ci.status_code == 403, (
        f"{method} {route}: {as_ci.status_code}, anon {as_anon.status_code}"
    )
    body = as_ci.json()
    assert body["code"] == "insufficient_key_scope"
    assert "'ci' access level: it may only fetch the CI credentials" in body["detail"]
