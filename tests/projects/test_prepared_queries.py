"""The config endpoint's compiled queries answer exactly as the ORM (and the access policy) do."""

import pytest

from projects.access import visible_projects
from projects.api_keys import issue_api_key
from projects.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


def test_prepared_query_matches_the_orm_for_several_values(make_project, user, other_user):
    make_project("Alpha")
    make_project("Beta", owner=other_user)
    query = PreparedQuery(
        lambda slug: visible_projects(user).filter(slug=slug).values_list("name", "is_active"),
        slug="\x00slug\x00",
    )
    assert query.rows(slug="alpha") == [("Alpha", True)]
    assert query.rows(slug="beta") == []  # someone else's project stays invisible
    assert query.rows(slug="nothing") == []


def test_key_restricted_to_a_project_sees_only_it(client, make_project, make_user, user):
    from integrations.config_endpoint import ROWS_FOR_ANY_PROJECT, ROWS_FOR_ONE_PROJECT

    shop = make_project("Shop")
    make_project("Blog")
    key = issue_api_key(owner=user, name="k", project=shop).api_key
    assert ROWS_FOR_ONE_PROJECT.rows(owner_id=user.pk, slug="shop", project_id=key.project_id)
    assert not ROWS_FOR_ONE_PROJECT.rows(owner_id=user.pk, slug="blog", project_id=key.project_id)
    assert ROWS_FOR_ANY_PROJECT.rows(owner_id=user.pk, slug="blog")
    stranger = make_user("stranger")
    assert not ROWS_FOR_ANY_PROJECT.rows(owner_id=stranger.pk, slug="blog")


def test_a_placeholder_missing_from_the_sql_is_refused(make_project, user):
    query = PreparedQuery(lambda slug: visible_projects(user).values_list("name"), slug="x")
    with pytest.raises(RuntimeError):
        query.rows(slug="x")
