"""A small world for access tests: two users, their projects and objects, and a key per kind."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from explainer.models import Explanation
from integrations.loader import SDK_FILE
from integrations.services import create_integration, issue_loader_id
from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
from projects.services import create_project
from tests.conftest import PASSWORD
from tests.fakes.sentry_server import TOKEN, load_event

CALLERS = ("anon", "owner", "other", "proj_key", "env_key", "config", "read", "revoked", "expired")
DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42"
ISSUE_ID = "4504123456"


class World:
    def __init__(self, make_user, sentry_base_url: str):
        self.owner = make_user("alice")
        self.other = make_user("mallory")
        self.shop = create_project(owner=self.owner, name="Shop", environment="production")
        self.blog = create_project(owner=self.owner, name="Blog", environment="production")
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
        self.target_key = issue_api_key(owner=self.owner, name="target").api_key
        write = ApiKey.WRITE
        self.keys = {
            "proj_key": issue_api_key(
                owner=self.owner, name="blog", project=self.blog, access=write
            ),
            "env_key": issue_api_key(
                owner=self.owner,
                name="staging",
                project=self.shop,
                environment="staging",
                access=write,
            ),
            "config": issue_api_key(owner=self.owner, name="app", access=ApiKey.CONFIG),
            "read": issue_api_key(owner=self.owner, name="reader", access=ApiKey.READ),
            "revoked": issue_api_key(owner=self.owner, name="gone", access=write),
            # Not a column of the matrix: tests/security/test_ci_key_reach.py walks every route.
            "ci": issue_api_key(owner=self.owner, name="build", project=self.shop, access="ci"),
            "expired": issue_api_key(owner=self.owner, name="old", access=write),
        }
        now = timezone.now()
        ApiKey.objects.filter(pk=self.keys["revoked"].api_key.pk).update(revoked_at=now)
        ApiKey.objects.filter(pk=self.keys["expired"].api_key.pk).update(
            expires_at=now - timedelta(days=1)
        )

    def client(self, caller: str) -> APIClient:
        client = APIClient()
        if caller == "owner":
            client.login(username="alice", password=PASSWORD)
        elif caller == "other":
            client.login(username="mallory", password=PASSWORD)
        elif caller in self.keys:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.keys[caller].plaintext}")
        return client

    def url_value(self, route: str, name: str) -> str:
        explanation = self.failed if "retry" in route else self.done
        values = {
            "slug": self.shop.slug,
            "project_id": self.shop.pk,
            "integration_id": self.production.pk,
            "issue_id": ISSUE_ID,
            "event_pk": self.event.pk,
            "explanation_id": explanation.pk,
            "key_id": self.target_key.pk,
            "loader_id": self.production.loader_id,
            "filename": SDK_FILE,
            "uidb64": "MQ",
            "token": "set-password",
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
        }
        if method in ("GET", "DELETE"):
            return None
        return bodies.get(route, {})


def _event_text() -> str:
    import json

    return json.dumps(load_event("python_api.json"))
