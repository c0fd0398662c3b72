"""Imports stored before events had an environment column take the one their event names."""

BEFORE = [("explainer", "0002_explanations"), ("projects", "0004_key_access_ci")]
AFTER = [("explainer", "0003_imported_event_environment")]


def test_existing_imports_get_their_events_environment(migrate):
    apps = migrate(BEFORE)
    owner = apps.get_model("auth", "User").objects.create(username="owner")
    project = apps.get_model("projects", "Project").objects.create(
        owner=owner, name="Shop", slug="shop"
    )
    events = {
        "top-level": {"environment": "production"},
        "in tags": {"tags": [["environment", "staging"]]},
        "none": {"message": "no environment"},
    }
    ImportedEvent = apps.get_model("explainer", "ImportedEvent")
    for title, event in events.items():
        ImportedEvent.objects.create(project=project, event_id="0" * 32, title=title, event=event)

    apps = migrate(AFTER)
    stored = dict(
        apps.get_model("explainer", "ImportedEvent").objects.values_list("title", "environment")
    )
    assert stored == {"top-level": "production", "in tags": "staging", "none": ""}
