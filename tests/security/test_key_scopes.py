"""Each way a key's restrictions used to leak, as its own test (the issue's reproductions)."""

import json

import pytest

from explainer.models import Explanation, ImportedEvent
from integrations.models import SentryIntegration
from projects.keys.models import ApiKey
from projects.models import Project
from tests.fakes.sentry_server import load_event

from .world import ISSUE_ID

pytestmark = pytest.mark.django_db


def _refused(response, *words):
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "insufficient_key_scope"
    for word in words:
        assert word in body["detail"]


def test_staging_key_cannot_read_production_issues(world):
    client = world.client("env_key")
    url = f"/api/projects/{world.shop.pk}/sentry-issues"
    _refused(client.get(url, {"environment": "production"}), "'staging'", "'production'")
    _refused(client.get(url))  # no environment: the project's default, production
    assert client.get(url, {"environment": "staging"}).status_code == 200


def test_staging_key_cannot_open_a_production_issue(world):
    client = world.client("env_key")
    url = f"/api/projects/{world.shop.pk}/sentry-issues/{ISSUE_ID}"
    _refused(client.get(url, {"environment": "production"}))
    _refused(client.get(url))


def test_staging_key_cannot_queue_a_production_explanation(world):
    client = world.client("env_key")
    before = Explanation.objects.count()
    url = f"/api/projects/{world.shop.pk}/explanations"
    _refused(client.post(url, {"issueId": ISSUE_ID}, format="json"))
    _refused(client.post(url, {"issueId": ISSUE_ID, "environment": "production"}, format="json"))
    # Production's imported event is not even visible to it.
    hidden = client.post(url, {"eventId": str(world.event.pk)}, format="json")
    assert hidden.status_code == 404
    assert Explanation.objects.count() == before


def test_staging_key_sees_only_staging_explanations_and_events(world):
    staging_event = world.shop.imported_events.create(
        event_id="b" * 32, title="Staging", environment="staging", event={"message": "x"}
    )
    Explanation.objects.create(
        project=world.shop, dedupe_key="event:s", environment="staging", status="done"
    )
    client = world.client("env_key")
    listed = client.get(f"/api/projects/{world.shop.pk}/explanations").json()["results"]
    assert [item["environment"] for item in listed] == ["staging"]
    assert client.get(f"/api/explanations/{world.done.pk}").status_code == 404
    assert staging_event.environment == "staging"


def test_staging_key_cannot_import_a_production_event(world):
    client = world.client("env_key")
    url = f"/api/projects/{world.shop.pk}/events"
    before = ImportedEvent.objects.count()
    _refused(client.post(url, load_event("python_api.json"), format="json"), "import events")
    without_environment = {"message": "Something broke", "platform": "python"}
    _refused(client.post(url, without_environment, format="json"), "outside it")
    assert ImportedEvent.objects.count() == before
    staging = {**load_event("python_sdk.json"), "environment": "staging"}
    assert client.post(url, staging, format="json").status_code == 201


def test_staging_key_cannot_delete_or_rename_the_project(world):
    client = world.client("env_key")
    _refused(client.delete(f"/api/projects/{world.shop.pk}"), "whole project")
    _refused(client.patch(f"/api/projects/{world.shop.pk}", {"name": "Mine"}, format="json"))
    assert Project.objects.get(pk=world.shop.pk).name == "Shop"


def test_staging_key_cannot_add_or_move_integrations_of_other_environments(world):
    client = world.client("env_key")
    url = f"/api/projects/{world.shop.pk}/sentry"
    before = SentryIntegration.objects.count()
    body = {"environment": "production", "dsn": world.production.dsn, "org": "a", "project": "b"}
    _refused(client.post(url, body, format="json"), "'production'")
    _refused(client.post(url, {**body, "environment": "development"}, format="json"))
    assert SentryIntegration.objects.count() == before
    staging_url = f"{url}/{world.staging.pk}"
    _refused(client.patch(staging_url, {"environment": "development"}, format="json"))
    assert client.patch(staging_url, {"tracesSampleRate": 0.5}, format="json").status_code == 200
    # Production's integration is not even visible to it.
    assert client.get(f"{url}/{world.production.pk}").status_code == 404
    listed = client.get(url).json()["results"]
    assert [item["environment"] for item in listed] == ["staging"]


def test_project_key_cannot_create_or_list_other_projects(world):
    client = world.client("proj_key")
    before = Project.objects.count()
    _refused(client.post("/api/projects", {"name": "Another"}, format="json"), "one project")
    assert Project.objects.count() == before
    names = [project["name"] for project in client.get("/api/projects").json()["results"]]
    assert names == ["Blog"]
    _refused(client.get("/api/keys"))


def test_config_key_reads_only_the_config_endpoint(world):
    client = world.client("config")
    _refused(client.get(f"/api/projects/{world.shop.pk}"), "'config' access level")
    _refused(client.get("/api/projects"))
    _refused(client.get(f"/api/projects/{world.shop.pk}/sentry-issues"))
    config = client.get("/api/integrations/sentry/shop")
    assert config.status_code == 200
    assert config.json()["environment"] == "production"


def test_read_key_reads_but_cannot_write(world):
    client = world.client("read")
    assert client.get(f"/api/projects/{world.shop.pk}/sentry").status_code == 200
    _refused(client.delete(f"/api/projects/{world.shop.pk}/sentry/{world.production.pk}"), "write")
    assert SentryIntegration.objects.filter(pk=world.production.pk).exists()


def test_new_keys_are_config_keys_by_default(api):
    created = api.post("/api/keys", {"name": "app"}, format="json").json()
    assert created["access"] == "config"
    assert ApiKey.objects.get(pk=created["id"]).access == ApiKey.CONFIG


def test_the_key_form_explains_each_level_in_one_line(browser_client):
    page = browser_client.get("/settings/api-keys?new=1").content.decode()
    for line in (
        "Config: the config endpoint only",
        "Read: config, plus reading",
        "Write: read, plus changes within",
    ):
        assert line in page
    assert 'value="config" required id="id_access_0" checked' in page  # the default


def test_explainer_and_config_endpoint_default_to_the_same_environment(world, make_user):
    # Shop's default is production; a key for the whole project reads production's issues
    # when it names no environment, as the config endpoint serves production's DSN.
    client = world.client("read")
    issues = client.get(f"/api/projects/{world.shop.pk}/sentry-issues")
    assert issues.status_code == 200
    sent = json.loads(json.dumps(issues.json()))
    assert sent["results"], "the fake Sentry has issues in production"
    assert client.get("/api/integrations/sentry/shop").json()["environment"] == "production"
