"""Before one import per event: copies of the same event merge into the first import, and the
explanations of the copies follow it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("explainer", "0003_imported_event_environment")]
AFTER = [("explainer", "0005_one_import_per_event")]


@pytest.mark.django_db(transaction=True)
def test_copies_merge_into_the_first_import_and_keep_their_explanations():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    owner = apps.get_model("auth", "User").objects.create(username="owner")
    Project = apps.get_model("projects", "Project")
    shop = Project.objects.create(owner=owner, name="Shop", slug="shop")
    jobs = Project.objects.create(owner=owner, name="Jobs", slug="jobs")
    ImportedEvent = apps.get_model("explainer", "ImportedEvent")
    first = ImportedEvent.objects.create(project=shop, event_id="a" * 32, title="first", event={})
    copy = ImportedEvent.objects.create(project=shop, event_id="a" * 32, title="copy", event={})
    other = ImportedEvent.objects.create(project=jobs, event_id="a" * 32, title="jobs", event={})
    later = first.created_at + timedelta(minutes=5)
    ImportedEvent.objects.filter(pk=copy.pk).update(created_at=later)
    apps.get_model("explainer", "Explanation").objects.create(
        project=shop, dedupe_key=f"event:{copy.pk}", imported_event=copy, status="done"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    ImportedEvent = apps.get_model("explainer", "ImportedEvent")
    assert set(ImportedEvent.objects.values_list("pk", flat=True)) == {first.pk, other.pk}
    explanation = apps.get_model("explainer", "Explanation").objects.get()
    assert explanation.imported_event_id == first.pk

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
