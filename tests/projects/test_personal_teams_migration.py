"""When teams arrived, every user got a personal team holding their projects and keys."""

BEFORE = [("projects", "0004_key_access_ci")]
AFTER = [("projects", "0007_teams_required")]


def test_projects_and_keys_move_into_their_owners_personal_team(migrate):
    apps = migrate(BEFORE)
    User = apps.get_model("auth", "User")
    alice, bob = User.objects.create(username="alice"), User.objects.create(username="bob")
    Project = apps.get_model("projects", "Project")
    Project.objects.create(owner=alice, name="Shop", slug="shop")
    Project.objects.create(owner=bob, name="Blog", slug="blog")
    apps.get_model("projects", "ApiKey").objects.create(
        owner=alice, name="app", prefix="p1", key_hash="0" * 64
    )

    apps = migrate(AFTER)
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
