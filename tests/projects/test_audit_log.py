"""The audit log: an entry for each action, with who, what and from where — never a secret."""

import csv
import io
import json

import pytest

from integrations import services as integrations
from projects.audit.models import AuditEntry
from projects.keys import services as keys
from projects.teams import services as teams

pytestmark = pytest.mark.django_db

TOKEN = "sntrys_PLANTEDtoken0123456789"
DSN = "https://PLANTEDdsnkey0123@o1.ingest.sentry.io/2"
SECRET = "PLANTEDwebhooksecret"
PASSWORD_TRIED = "PLANTED-wrong-password"


def _actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_each_action_is_recorded_and_no_entry_holds_a_secret(browser_client, client, user, api):
    # Through the pages and the API, as people do.
    browser_client.post("/projects", {"name": "Shop", "environment": "production"})
    shop = user.projects.get()
    integration_page = f"/projects/{shop.slug}/integrations/new"
    browser_client.post(
        integration_page,
        {
            "environment": "production",
            "dsn": DSN,
            "org": "acme",
            "sentry_project": "shop",
            "api_base_url": "https://sentry.io",
            "traces_sample_rate": "0.1",
            "replays_session_sample_rate": "0.1",
            "replays_on_error_sample_rate": "1.0",
            "auth_token": TOKEN,
            "webhook_secret": SECRET,
        },
    )
    integration = shop.sentry_integrations.get()
    api.patch(
        f"/api/projects/{shop.pk}/sentry/{integration.pk}",
        {"tracesSampleRate": 0.5, "authToken": ""},
        format="json",
    )
    base = f"/projects/{shop.slug}/integrations/{integration.pk}/dsn"
    browser_client.post(f"{base}/reveal")
    browser_client.post(f"{base}/copy")
    api.patch(f"/api/projects/{shop.pk}", {"description": "The shop."}, format="json")
    issued = keys.issue_api_key(owner=user, name="app")
    keys.roll_api_key(issued.api_key)
    keys.revoke_api_key(issued.api_key)
    team = teams.create_team(user, "Acme")
    invitation = teams.invite(team, "bob@example.com", "member", invited_by=user)
    teams.revoke_invitation(invitation.invitation)
    integrations.rotate_encryption_key()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD_TRIED})
    api.delete(f"/api/projects/{shop.pk}")

    assert _actions() == [
        "login",  # the test client's login
        "team.created",  # the personal team, made with the first project
        "project.created",
        "integration.created",
        "integration.changed",
        "integration.token_cleared",
        "dsn.revealed",
        "dsn.copied",
        "project.changed",
        "key.created",
        "key.created",
        "key.rolled",
        "key.revoked",
        "team.created",
        "invitation.created",
        "invitation.revoked",
        "encryption_key.rotated",
        "login_failed",
        "project.deleted",
    ]
    changed = AuditEntry.objects.get(action="integration.changed")
    assert changed.changes == {"traces_sample_rate": [0.1, 0.5], "auth_token": "cleared"}
    assert changed.actor == user.username and changed.ip == "127.0.0.1"
    created = AuditEntry.objects.get(action="integration.created")
    assert created.changes["auth_token"] == "set" and created.changes["dsn"] == "set"
    dump = json.dumps(list(AuditEntry.objects.values()), default=str)
    for planted in (TOKEN, DSN, "PLANTEDdsnkey", SECRET, PASSWORD_TRIED, issued.plaintext):
        assert planted not in dump


def test_key_actions_name_the_key_as_the_actor(user, make_project):
    from rest_framework.test import APIClient

    shop = make_project("Shop")
    issued = keys.issue_api_key(owner=user, name="deployer", access="write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}")
    client.patch(f"/api/projects/{shop.pk}", {"description": "by a key"}, format="json")
    entry = AuditEntry.objects.get(action="project.changed")
    assert entry.actor_key == issued.api_key
    assert entry.actor.startswith("API key deployer (smk_")


def test_logins_are_recorded(client, user):
    from tests.conftest import PASSWORD

    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    entry = AuditEntry.objects.get(action="login")
    assert entry.actor_user == user


def test_entries_are_append_only(user, make_project):
    make_project("Shop")
    entry = AuditEntry.objects.get(action="project.created")
    entry.action = "rewritten"
    with pytest.raises(ValueError):
        entry.save()


@pytest.fixture
def history(user, make_project):
    shop = make_project("Shop")
    blog = make_project("Blog")
    keys.issue_api_key(owner=user, name="app", project=shop)
    return teams.personal_team(user), shop, blog


def test_the_page_filters_pages_and_exports_csv(browser_client, history):
    team, shop, _blog = history
    url = f"/teams/{team.slug}/audit"
    page = browser_client.get(url).content.decode()
    assert "project.created" in page and "key.created" in page
    only_keys = browser_client.get(url, {"action": "key.created"}).content.decode()
    assert "key.created" in only_keys and "<code>project.created</code>" not in only_keys
    of_blog = browser_client.get(url, {"project": "blog"}).content.decode()
    assert "Blog" in of_blog and "app (smk_" not in of_blog
    exported = browser_client.get(url, {"format": "csv", "action": "project.created"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[0][:4] == ["created_at", "actor", "ip", "action"]
    assert sorted(row[4] for row in rows[1:]) == ["blog", "shop"]


def test_the_api_lists_and_filters_the_team_log(api, history):
    team, shop, _blog = history
    body = api.get(f"/api/teams/{team.pk}/audit", {"project": shop.slug}).json()
    assert {entry["action"] for entry in body["results"]} == {"project.created", "key.created"}
    assert body["count"] == 2
    bad = api.get(f"/api/teams/{team.pk}/audit", {"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()["fields"]


def test_the_admin_shows_the_log_read_only(client, make_user, history):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert client.get("/admin/projects/auditentry/").status_code == 200
    entry = AuditEntry.objects.first()
    page = client.get(f"/admin/projects/auditentry/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # nothing to save: read-only
    assert client.post(f"/admin/projects/auditentry/{entry.pk}/delete/").status_code == 403


def test_explanations_requested_and_retried_are_recorded(api, user, make_project):
    from explainer.event_import import import_event
    from projects.access import Principal
    from tests.fakes.sentry_server import load_event

    shop = make_project("Shop")
    imported = import_event(Principal(user=user), shop, load_event("python_api.json"))
    url = f"/api/projects/{shop.pk}/explanations"
    queued = api.post(url, {"eventId": str(imported.pk)}, format="json")
    explanation_id = queued.json()["id"]
    from explainer.models import Explanation

    Explanation.objects.filter(pk=explanation_id).update(status=Explanation.FAILED)
    assert api.post(f"/api/explanations/{explanation_id}/retry").status_code == 202
    entries = AuditEntry.objects.filter(action__startswith="explanation.").order_by("id")
    assert list(entries.values_list("action", "actor", "target_id")) == [
        ("explanation.requested", user.username, explanation_id),
        ("explanation.retried", user.username, explanation_id),
    ]
