"""The config endpoint's compiled queries answer exactly as the ORM (and the access policy) do."""

import pytest

from projects import access
from projects.access import visible_projects
from projects.keys.services import issue_api_key
from sentry_manager.lib.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


def test_prepared_query_matches_the_orm_for_several_values(make_project, user, other_user):
    make_project("Alpha")
    make_project("Beta", owner=other_user)
    query = PreparedQuery(
        lambda slug: (
            visible_projects(access.Principal(user=user))
            .filter(slug=slug)
            .values_list("name", "is_active")
        ),
        slug="\x00slug\x00",
    )
    assert query.rows(slug="alpha") == [("Alpha", True)]
    assert query.rows(slug="beta") == []  # someone else's project stays invisible
    assert query.rows(slug="nothing") == []


def test_config_lookup_sees_exactly_what_the_access_policy_lets_the_key_see(
    make_project, make_user, user
):
    from integrations.config import lookup

    stranger = make_user("stranger")
    shop = make_project("Shop")
    make_project("Blog")
    make_project("Theirs", owner=stranger)
    keys = [
        issue_api_key(owner=user, name="all").api_key,
        issue_api_key(owner=user, name="shop only", project=shop).api_key,
        issue_api_key(owner=stranger, name="stranger").api_key,
    ]
    for api_key in keys:
        principal = access.for_api_key(api_key)
        for slug in ("shop", "blog", "theirs", "missing"):
            policy = visible_projects(principal).filter(slug=slug).exists()
            rows = lookup(api_key.prefix, slug)
            assert (rows[0].project_is_active is not None) == policy, (api_key.name, slug)


def test_a_placeholder_missing_from_the_sql_is_refused(make_project, user):
    query = PreparedQuery(
        lambda slug: visible_projects(access.Principal(user=user)).values_list("name"), slug="x"
    )
    with pytest.raises(RuntimeError):
        query.rows(slug="x")


def test_a_driver_error_reaches_the_caller_as_djangos(make_project, user, settings):
    """The driver path skips Django's cursor: a failure must still be Django's own error (the
    500 handler answers 503 for OperationalError) and mark the connection as unusable."""
    from django.db import connection, transaction, utils

    make_project("Alpha")
    query = PreparedQuery(
        lambda slug: (
            visible_projects(access.Principal(user=user)).filter(slug=slug).values_list("name")
        ),
        slug="\x00slug\x00",
    )
    settings.DEBUG = False
    connection.force_debug_cursor = False  # as in production: no query recording
    assert query.rows(slug="alpha") == [("Alpha",)]
    with connection.cursor() as cursor:  # the table disappears under the compiled statement
        cursor.execute('ALTER TABLE "projects_project" RENAME TO "projects_project_gone"')
    try:
        # In a savepoint: PostgreSQL refuses every later statement of a failed transaction.
        with pytest.raises(utils.DatabaseError) as raised, transaction.atomic():
            query.rows(slug="alpha")
        assert type(raised.value).__module__ == "django.db.utils"
        assert connection.errors_occurred
    finally:
        with connection.cursor() as cursor:
            cursor.execute('ALTER TABLE "projects_project_gone" RENAME TO "projects_project"')
