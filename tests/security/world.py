"""A small world for access tests: two users, their projects and objects, and a key per kind."""

from datetime import timedelta
from functools import partial

from django.utils import timezone
from rest_framework.test import APIClient

from explainer.models import Explanation
from integrations.loader import SDK_FILE
from integrations.services import create_integration, issue_loader_id
from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
from projects.services import create_project
from projects.teams.current import SESSION_KEY
from projects.teams.models import Membership
from projects.teams.services import create_team, invite
from tests.conftest import PASSWORD
from tests.fakes.sentry_server import TOKEN, load_event

CALLERS = (
    "anon",
    "owner",
    "admin",
    "member",
    "other",
    "proj_key",
    "env_key",
    "config",
    "read",
    "revoked",
    "expired",
)
USERS = {"owner": "alice", "admin": "bob", "member": "carol", "other": "mallory"}
DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42"
ISSUE_ID = "4504123456"


class World:
    def __init__(self, make_user, sentry_base_url: str):
        self.owner = make_user("alice")
        self.other = make_user("mallory")
        self.team = create_team(self.owner, "Acme")
        self.admin_membership = Membership.objects.create(
            team=self.team, user=make_user("bob"), role=Membership.ADMIN
        )
        self.member_membership = Membership.objects.create(
            team=self.team, user=make_user("carol"), role=Membership.MEMBER
        )
        self.invitation = invite(self.team, "dave@example.com", "member", invited_by=self.owner)
        team = self.team
        self.shop = create_project(
            owner=self.owner, name="Shop", environment="production", team=team
        )
        self.blog = create_project(
            owner=self.owner, name="Blog", environment="production", team=team
        )
        create_project(owner=self.other, name="Theirs")
        sentry = {"org": "acme", "sentry_project": "backend", "api_base_url": sentry_base_url}
        self.production = create_integration(
            project=self.shop, environment="production", dsn=DSN, auth_token=TOKEN, **sentry
        )
        self.staging = create_integration(
            project=self.shop, environment="staging", dsn=DSN, auth_token=TOKEN, **sentry
        )
        issue_loader_id(self.production)
        self.event = self.shop.imported_events.create(
            event_id="a" * 32,
            title="ZeroDivisionError",
            environment="production",
            event=load_event("python_api.json"),
        )
        self.done = Explanation.objects.create(
            project=self.shop,
            dedupe_key="event:done",
            environment="production",
            imported_event=self.event,
            status=Explanation.DONE,
            summary="Done.",
        )
        self.failed = Explanation.objects.create(
            project=self.shop,
            dedupe_key="event:failed",
            environment="production",
            imported_event=self.event,
            status=Explanation.FAILED,
            error="The model server did not answer.",
        )
        key = partial(issue_api_key, owner=self.owner, team=team)
        self.target_key = key(name="target").api_key
        write = ApiKey.WRITE
        self.keys = {
            "proj_key": key(name="blog", project=self.blog, access=write),
            "env_key": key(name="staging", project=self.shop, environment="staging", access=write),
            "config": key(name="app", access=ApiKey.CONFIG),
            "read": key(name="reader", access=ApiKey.READ),
            "revoked": key(name="gone", access=write),
            "expired": key(name="old", access=write),
            # Not a column of the matrix: tests/security/test_ci_key_reach.py walks every route.
            "ci": key(name="build", project=self.shop, access="ci"),
        }
        now = timezone.now()
        ApiKey.objects.filter(pk=self.keys["revoked"].api_key.pk).update(revoked_at=now)
        ApiKey.objects.filter(pk=self.keys["expired"].api_key.pk).update(
            expires_at=now - timedelta(days=1)
        )

    def client(self, caller: str) -> APIClient:
        client = APIClient()
        if caller in USERS:
            client.login(username=USERS[caller], password=PASSWORD)
            if caller != "other":  # the team switcher: working in Acme
                session = client.session
                session[SESSION_KEY] = str(self.team.pk)
                session.save()
        elif caller in self.keys:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.keys[caller].plaintext}")
        return client

    def url_value(self, route: str, name: str) -> str:
        explanation = self.failed if "retry" in route else self.done
        values = {
            "slug": self.team.slug if route.startswith("teams:") else self.shop.slug,
            "project_id": self.shop.pk,
            "integration_id": self.production.pk,
            "issue_id": ISSUE_ID,
            "event_pk": self.event.pk,
            "explanation_id": explanation.pk,
            "key_id": self.target_key.pk,
            "member_id": self.member_membership.pk,
            "team_id": self.team.pk,
            "invitation_id": self.invitation.invitation.pk,
            "loader_id": self.production.loader_id,
            "filename": SDK_FILE,
            "uidb64": "MQ",
            "token": self.invitation.token if route == "teams:accept" else "set-password",
            # The admin's routes.
            "app_label": "projects",
            "object_id": self.shop.pk,
            "id": self.owner.pk,
            "content_type_id": "1",
            "url": "projects/project/",
        }
        return str(values[name])

    def body(self, route: str, method: str):
        integration = {
            "dsn": DSN,
            "org": "acme",
            "sentry_project": "backend",
            "api_base_url": "https://sentry.io",
            "traces_sample_rate": "0.1",
            "replays_session_sample_rate": "0.1",
            "replays_on_error_sample_rate": "1.0",
        }
        bodies = {
            "api-projects": {"name": "New app"},
            "api-project": {"description": "Changed."},
            "api-keys": {"name": "new key"},
            "api-key-roll": {},
            "api-sentry-integrations": {
                "environment": "development",
                "dsn": DSN,
                "org": "acme",
                "project": "backend",
            },
            "api-sentry-integration": {"tracesSampleRate": 0.5},
            "api-events": load_event("python_api.json"),
            "api-explanations": {"issueId": ISSUE_ID},
            "api-sentry-webhook": {"action": "created"},
            "projects:list": {"name": "New app", "environment": "production"},
            "integrations:project-edit": {
                "name": "Shop",
                "slug": "shop",
                "environment": "production",
                "description": "Changed.",
            },
            "integrations:project-active": {"active": "false"},
            "integrations:project-delete": {"confirm": self.shop.slug},
            "integrations:delete": {"confirm": self.production.environment},
            "integrations:new": {"environment": "development", **integration},
            "integrations:edit": {"environment": "production", **integration},
            "integrations:set-active": {"active": "false"},
            "explainer:import-event": {"event_json": _event_text()},
            "api-keys:list": {"name": "new key", "access": "config"},
            "api-keys:roll": {"grace_hours": "24"},
            "teams:list": {"name": "Another team"},
            "teams:switch": {"team": self.team.slug},
            "teams:invite": {"email": "erin@example.com", "role": "member"},
            "teams:change-role": {"role": "admin"},
            "teams:rotation": {"rotation_days": "30"},
        }
        if method in ("GET", "DELETE"):
            return None
        return bodies.get(route, {})


def _event_text() -> str:
    import json

    return json.dumps(load_event("python_api.json"))
