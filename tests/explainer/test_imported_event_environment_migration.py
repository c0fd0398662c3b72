"""Imports stored before events had an environment column take the one their event names."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("explainer", "0002_explanations")]
AFTER = [("explainer", "0003_imported_event_environment")]


@pytest.mark.django_db(transaction=True)
def test_existing_imports_get_their_events_environment():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
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

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    stored = dict(
        apps.get_model("explainer", "ImportedEvent").objects.values_list("title", "environment")
    )
    assert stored == {"top-level": "production", "in tags": "staging", "none": ""}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
