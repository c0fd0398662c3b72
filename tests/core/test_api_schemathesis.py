"""The OpenAPI schema tells the truth: schemathesis generates requests from /api/schema
(valid and invalid ones, NUL bytes included) for every documented operation and checks each
answer against the schema with all its checks — no 5xx, every status, header, content type
and body documented, invalid data refused, valid data accepted.

Bounded and repeatable: a fixed example count per operation and derandomized generation (a
fixed seed). It calls the WSGI application in-process, authenticated with a write API key,
with the path ids pinned to real objects. Nothing leaves the machine: the pinned integration
has no Sentry token, and an API URL that is not public is refused before any connection.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from explainer.models import Explanation
from integrations.services import create_integration
from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key
from projects.services import create_project
from sentry_manager.wsgi import application

EXAMPLES = 30
# Rules JSON Schema cannot state, per operation: the fields a 400 may name when the data is
# otherwise schema-valid (an expiry in the future, a restriction needing a
# project, a DSN's parts, an API URL resolving to a public address, a Sentry event's content,
# either issueId or eventId). The schema's descriptions say them; everything else must pass.
BEYOND_SCHEMA = {
    ("POST", "/api/keys"): {"expiresAt", "environment", "projectId"},
    ("POST", "/api/projects/{project_id}/sentry"): {"dsn", "apiBaseUrl"},
    ("PATCH", "/api/projects/{project_id}/sentry/{integration_id}"): {"dsn", "apiBaseUrl"},
    ("POST", "/api/projects/{project_id}/events"): {"*"},  # the body: any Sentry event
    ("POST", "/api/projects/{project_id}/explanations"): {"issueId"},
}

schema = schemathesis.openapi.from_wsgi("/api/schema?format=json", application)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,
    no_shrink=True,
)


@pytest.fixture
def connection_kept():
    """As Django's test client does: a request's end must not close the connection that holds
    the test's transaction (the WSGI app is called directly here)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def pinned(make_user, settings, connection_kept):
    """One of each object the paths name, and a write key for a user who owns them."""
    settings.CONFIG_ENDPOINT_RATE_PER_MINUTE = 0
    settings.API_KEY_FAILURES_PER_IP = 0  # invalid keys are part of the run: no 429 for them
    owner = make_user("alice")
    project = create_project(owner=owner, name="Shop", slug="shop", environment="production")
    integration = create_integration(
        project=project,
        environment="production",
        dsn="https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42",
        org="acme",
        sentry_project="shop",
    )
    explanation = Explanation.objects.create(
        project=project,
        dedupe_key="issue:4504123456",
        issue_id="4504123456",
        environment="production",
        status=Explanation.FAILED,
        error="The model server did not answer.",
    )
    other_key = issue_api_key(owner=owner, name="other", access=ApiKey.READ).api_key
    key = issue_api_key(owner=owner, name="schemathesis", access=ApiKey.WRITE).plaintext
    return {
        "headers": {"Authorization": f"Bearer {key}"},
        "path": {
            "project_id": str(project.pk),
            "integration_id": str(integration.pk),
            "explanation_id": str(explanation.pk),
            "key_id": str(other_key.pk),
            "issue_id": "4504123456",
            "slug": project.slug,
        },
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, pinned):
    if case.path_parameters:
        for name, value in pinned["path"].items():
            if name in case.path_parameters and case.meta.generation.mode.is_positive:
                case.path_parameters[name] = value
    case.call_and_validate(
        headers=pinned["headers"],
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_acceptance_beyond_the_schema],
    )


@schemathesis.check
def positive_data_acceptance_beyond_the_schema(ctx, response, case):
    """schemathesis's positive_data_acceptance, except a 400 naming only fields whose rules
    the schema cannot state (BEYOND_SCHEMA) on the operations that have such rules."""
    allowed = BEYOND_SCHEMA.get((case.method.upper(), case.path), set())
    if response.status_code == 400 and allowed and case.meta.generation.mode.is_positive:
        named = set(response.json().get("fields", {})) or {None}
        if named <= allowed or "*" in allowed:
            return True
    return positive_data_acceptance(ctx, response, case)
