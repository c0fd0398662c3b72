"""The config endpoint's one query: what it binds, the path it takes to the driver, its plan."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.config import lookup_query
from projects.keys.services import issue_api_key

pytestmark = pytest.mark.django_db
URL = "/api/integrations/sentry/shop"


@pytest.fixture
def key(user, make_project, make_integration):
    cache.clear()
    project = make_project("Shop", environment="production")
    make_integration(project=project, environment="production")
    return issue_api_key(owner=user, name="shop", project=project)


def fetch(client, key, query="environment=production"):
    return client.get(f"{URL}?{query}", HTTP_AUTHORIZATION=f"Bearer {key.plaintext}")


def test_the_lookup_binds_only_the_key_prefix_and_the_slug(client, key):
    # A bound parameter that could pick a partial index (is_active = %s against the
    # one-active-integration constraint) makes SQLite re-plan the statement on every run.
    assert fetch(client, key).status_code == 200
    compiled = lookup_query()._compiled[("default", connection.vendor)]
    assert [name for name, _value in compiled.slots] == ["slug", "prefix"]


def test_the_driver_path_returns_what_djangos_cursor_returns(client, key):
    prefix = key.api_key.prefix
    direct = lookup_query().rows(prefix=prefix, slug="shop")
    with CaptureQueriesContext(connection) as queries:
        recorded = lookup_query().rows(prefix=prefix, slug="shop")
    assert len(queries) == 1  # the recorded path is the one tests count queries on
    assert direct == recorded
    assert len(direct) == 1


def test_repeated_lookups_reuse_one_statement(client, key):
    for _ in range(8):
        assert fetch(client, key).status_code == 200
    compiled = lookup_query()._compiled[("default", connection.vendor)]
    if connection.vendor == "postgresql":
        # Prepared after a few runs, so PostgreSQL stops planning it on every request.
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            statements = [row[0] for row in cursor.fetchall()]
        assert any("projects_apikey" in statement for statement in statements), statements
    else:
        # Named parameters in the driver's own style: no per-request conversion of the SQL.
        assert ":p0" in compiled.driver_sql and "%(p0)s" in compiled.sql


@pytest.mark.parametrize(
    "query",
    [
        "environment=development",
        "environment=dev%65lopment",
        "debug=1&environment=development",
        "environment=production&environment=development",
    ],
)
def test_unusual_query_strings_read_the_environment_as_django_does(
    client, key, make_integration, query
):
    make_integration(project=key.api_key.project, environment="development")
    response = fetch(client, key, query)
    assert response.status_code == 200, response.content
    assert response.json()["environment"] == "development"
