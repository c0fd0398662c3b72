"""Teams: personal teams, invitations, roles, the switcher, and refusals that name the role."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from projects.models import Project
from projects.teams import services
from projects.teams.models import Invitation, Membership, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(user):
    return services.create_team(user, "Acme")


def _member(team, make_user, name, role):
    person = make_user(name)
    Membership.objects.create(team=team, user=person, role=role)
    return person


def test_every_user_gets_a_personal_team_with_their_projects(user, make_project):
    project = make_project("Shop")
    team = services.personal_team(user)
    assert team.is_personal and project.team == team
    assert Membership.objects.get(team=team, user=user).role == "owner"
    assert services.personal_team(user) == team  # made once


def test_invitation_link_is_shown_once_and_joins_with_its_role(
    browser_client, acme, make_user, client
):
    page = browser_client.post(
        f"/teams/{acme.slug}/invite", {"email": "Bob@Example.com", "role": "admin"}
    )
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    link = text.split('id="invitation-link">', 1)[1].split("<", 1)[0]
    assert "/invitations/" in link
    invitation = Invitation.objects.get()
    assert invitation.email == "bob@example.com"
    assert link.rsplit("/", 1)[1] not in str(Invitation.objects.values_list().get())  # hashed
    assert mail.outbox == []  # no EMAIL_URL: nothing mailed, the link is to copy

    bob = make_user("bob")
    client.force_login(bob)
    path = link.split("testserver", 1)[1]
    assert "Join Acme" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    assert Membership.objects.get(team=acme, user=bob).role == "admin"
    again = client.post(path)
    assert again.status_code == 422
    assert "already used" in again.content.decode()


def test_invitations_are_mailed_when_mail_is_configured(browser_client, acme, settings):
    settings.EMAIL_URL = "smtp://mail.example.com:25"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    browser_client.post(
        f"/teams/{acme.slug}/invite", {"email": "eve@example.com", "role": "member"}
    )
    [message] = mail.outbox
    assert message.to == ["eve@example.com"]
    assert "/invitations/" in message.body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
    ],
)
def test_expired_or_withdrawn_invitations_do_not_join(acme, user, make_user, change, message):
    issued = services.invite(acme, "bob@example.com", "member", invited_by=user)
    Invitation.objects.filter(pk=issued.invitation.pk).update(**change)
    with pytest.raises(Exception, match=message):
        services.accept(issued.token, make_user("bob"))
    assert Membership.objects.filter(team=acme).count() == 1


def test_the_last_owner_cannot_leave_or_be_demoted(browser_client, acme, user):
    mine = Membership.objects.get(team=acme, user=user)
    response = browser_client.post(f"/teams/{acme.slug}/leave", follow=True)
    assert "needs an owner" in response.content.decode()
    browser_client.post(f"/teams/{acme.slug}/members/{mine.pk}/role", {"role": "member"})
    assert Membership.objects.get(pk=mine.pk).role == "owner"


def test_owner_changes_roles_and_removes_members(browser_client, acme, make_user):
    bob = _member(acme, make_user, "bob", "member")
    membership = Membership.objects.get(team=acme, user=bob)
    browser_client.post(f"/teams/{acme.slug}/members/{membership.pk}/role", {"role": "admin"})
    assert Membership.objects.get(pk=membership.pk).role == "admin"
    browser_client.post(f"/teams/{acme.slug}/members/{membership.pk}/remove")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    from projects.audit.models import AuditEntry

    changes = AuditEntry.objects.filter(team=acme, action__startswith="member.")
    assert list(changes.order_by("id").values_list("action", "changes")) == [
        ("member.role_changed", {"role": ["member", "admin"]}),
        ("member.removed", {}),
    ]


def test_an_admin_is_told_which_role_managing_members_needs(client, acme, make_user):
    bob = _member(acme, make_user, "bob", "admin")
    client.force_login(bob)
    response = client.post(f"/teams/{acme.slug}/invite", {"email": "x@example.com"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "you need to be an owner; you are an admin" in text
    assert not Invitation.objects.exists()


def test_a_member_cannot_set_a_token_and_the_api_names_the_role(
    client, acme, make_user, make_project
):
    from integrations.services import create_integration

    shop = make_project("Shop", team=acme)
    integration = create_integration(
        project=shop,
        environment="production",
        dsn="https://abc@o1.ingest.sentry.io/2",
        org="acme",
        sentry_project="shop",
    )
    carol = _member(acme, make_user, "carol", "member")
    client.force_login(carol)
    url = f"/api/projects/{shop.pk}/sentry/{integration.pk}"
    response = client.patch(url, {"authToken": "sntrys_x"}, content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "insufficient_role"
    assert "you need to be an admin; you are a member" in body["detail"]
    integration.refresh_from_db()
    assert integration.auth_token == ""
    # Members read the page with the DSN masked, and may reveal it.
    page = client.get(f"/projects/{shop.slug}").content.decode()
    assert integration.masked_dsn in page and integration.dsn not in page
    assert (
        client.post(f"/projects/{shop.slug}/integrations/{integration.pk}/dsn/reveal").status_code
        == 200
    )


def test_the_switcher_changes_the_team_the_pages_show(browser_client, acme, make_project):
    make_project("Personal app")
    make_project("Team app", team=acme)
    assert "Personal app" in browser_client.get("/projects").content.decode()
    browser_client.post("/teams/switch", {"team": acme.slug, "next": "/projects"})
    page = browser_client.get("/projects").content.decode()
    assert "Team app" in page and "Personal app" not in page
    created = browser_client.post("/projects", {"name": "New", "environment": "production"})
    assert created.status_code == 302
    assert Project.objects.get(name="New").team == acme


def test_switching_to_a_team_one_is_not_in_is_404(browser_client, make_user):
    theirs = services.create_team(make_user("mallory"), "Theirs")
    assert browser_client.post("/teams/switch", {"team": theirs.slug}).status_code == 404


def test_switch_never_redirects_off_site(browser_client, acme):
    response = browser_client.post(
        "/teams/switch", {"team": acme.slug, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/projects"


def test_api_creates_projects_in_the_team_named(api, acme, make_user):
    response = api.post("/api/projects", {"name": "Api app", "teamId": str(acme.pk)}, format="json")
    assert response.status_code == 201
    assert response.json()["teamId"] == str(acme.pk)
    theirs = services.create_team(make_user("mallory"), "Theirs")
    refused = api.post("/api/projects", {"name": "x", "teamId": str(theirs.pk)}, format="json")
    assert refused.status_code == 404
    assert not Team.objects.get(pk=theirs.pk).projects.exists()


def test_old_keys_and_tokens_are_flagged_with_what_rotates_them(browser_client, user, make_project):
    from datetime import timedelta

    from integrations.models import SentryIntegration
    from integrations.services import create_integration
    from projects.keys.models import ApiKey
    from projects.keys.services import issue_api_key

    team = services.personal_team(user)
    shop = make_project("Shop")
    create_integration(
        project=shop,
        environment="production",
        dsn="https://abc@o1.ingest.sentry.io/2",
        org="acme",
        sentry_project="shop",
        auth_token="sntrys_old",
    )
    old = issue_api_key(owner=user, name="old app").api_key
    issue_api_key(owner=user, name="new app")
    long_ago = timezone.now() - timedelta(days=120)
    ApiKey.objects.filter(pk=old.pk).update(created_at=long_ago)
    SentryIntegration.objects.update(auth_token_set_at=long_ago)

    page = browser_client.get(f"/teams/{team.slug}").content.decode()
    due = page.split('id="rotation-due"', 1)[1].split("</ul>", 1)[0]
    assert "old app" in due and f"/settings/api-keys/{old.pk}/roll" in due
    assert "new app" not in due
    assert "Shop has a Sentry auth token older than 90 days" in due
    keys_page = browser_client.get("/settings/api-keys").content.decode()
    assert keys_page.count(">rotate</span>") == 1
    assert ">replace</span>" in browser_client.get(f"/projects/{shop.slug}").content.decode()

    # A longer period for the team: nothing is due any more.
    browser_client.post(f"/teams/{team.slug}/rotation", {"rotation_days": "365"})
    assert Team.objects.get(pk=team.pk).rotation_days == 365
    assert (
        "Nothing is older than 365 days"
        in browser_client.get(f"/teams/{team.slug}").content.decode()
    )
    refused = browser_client.post(
        f"/teams/{team.slug}/rotation", {"rotation_days": "0"}, follow=True
    )
    assert "between 1 and 3650" in refused.content.decode()
    assert Team.objects.get(pk=team.pk).rotation_days == 365


def test_re_encrypting_a_token_keeps_its_age(user, make_project, settings):
    import base64

    from integrations.models import SentryIntegration
    from integrations.services import create_integration, rotate_encryption_key

    integration = create_integration(
        project=make_project("Shop"),
        environment="production",
        dsn="https://abc@o1.ingest.sentry.io/2",
        org="acme",
        sentry_project="shop",
        auth_token="sntrys_x",
    )
    set_at = integration.auth_token_set_at
    assert set_at is not None
    settings.ENCRYPTION_OLD_KEYS = [settings.ENCRYPTION_KEY]
    settings.ENCRYPTION_KEY = base64.b64encode(b"N" * 32).decode()
    assert rotate_encryption_key()["reencrypted"] == 1
    assert SentryIntegration.objects.get().auth_token_set_at == set_at
