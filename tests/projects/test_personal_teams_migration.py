"""When teams arrived, every user got a personal team holding their projects and keys."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("projects", "0004_key_access_ci")]
AFTER = [("projects", "0007_teams_required")]


@pytest.mark.django_db(transaction=True)
def test_projects_and_keys_move_into_their_owners_personal_team():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    alice, bob = User.objects.create(username="alice"), User.objects.create(username="bob")
    Project = apps.get_model("projects", "Project")
    Project.objects.create(owner=alice, name="Shop", slug="shop")
    Project.objects.create(owner=bob, name="Blog", slug="blog")
    apps.get_model("projects", "ApiKey").objects.create(
        owner=alice, name="app", prefix="p1", key_hash="0" * 64
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Membership = apps.get_model("projects", "Membership")
    teams = {
        project.slug: project.team
        for project in apps.get_model("projects", "Project").objects.select_related("team")
    }
    assert teams["shop"].is_personal and teams["shop"].name == "alice"
    assert teams["blog"].name == "bob"
    assert Membership.objects.get(team=teams["shop"]).user.username == "alice"
    assert Membership.objects.get(team=teams["shop"]).role == "owner"
    assert apps.get_model("projects", "ApiKey").objects.get().team == teams["shop"]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
