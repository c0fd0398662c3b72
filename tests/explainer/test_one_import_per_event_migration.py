"""Before one import per event: copies of the same event merge into the first import, and the
explanations of the copies follow it."""

from datetime import timedelta

BEFORE = [("explainer", "0003_imported_event_environment"), ("projects", "0004_key_access_ci")]
AFTER = [("explainer", "0005_one_import_per_event")]


def test_copies_merge_into_the_first_import_and_keep_their_explanations(migrate):
    apps = migrate(BEFORE)
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

    apps = migrate(AFTER)
    ImportedEvent = apps.get_model("explainer", "ImportedEvent")
    assert set(ImportedEvent.objects.values_list("pk", flat=True)) == {first.pk, other.pk}
    explanation = apps.get_model("explainer", "Explanation").objects.get()
    assert explanation.imported_event_id == first.pk
