"""A team's day-one data, for the every-page browser test and the README screenshots.

Two projects named the same (one inactive), integrations with and without an auth token (the
Sentry API is the fake one), API keys (one revoked), an imported event, and explanations done
by the built-in analysis and failed.
"""

from dataclasses import dataclass

from django.core.management import call_command

from explainer import event_import, explanations
from explainer.models import Explanation
from integrations.services import create_integration
from projects.access import SYSTEM, Principal
from projects.keys.services import issue_api_key, revoke_api_key
from projects.services import create_project, set_project_active
from tests.fakes.sentry_server import TOKEN, load_event

DSN = "https://0123456789abcdef0123456789abcdef@o450123.ingest.sentry.io/4505123456789012"
STAGING_DSN = "https://fedcba9876543210fedcba9876543210@o450123.ingest.sentry.io/4505123456789013"


@dataclass
class Demo:
    project: object
    twin: object
    production: object
    staging: object
    key: object
    imported: object
    done: object
    failed: object


def seed(owner, sentry_api_url: str = "https://sentry.io") -> Demo:
    project = create_project(
        owner=owner,
        name="Checkout",
        environment="production",
        description="Takes the money: cart, payment and receipts.",
    )
    production = create_integration(
        project=project,
        environment="production",
        dsn=DSN,
        org="acme",
        sentry_project="backend",
        api_base_url=sentry_api_url,
        auth_token=TOKEN,
    )
    staging = create_integration(
        project=project,
        environment="staging",
        dsn=STAGING_DSN,
        org="acme",
        sentry_project="backend-staging",
        traces_sample_rate=1.0,
    )
    twin = create_project(owner=owner, name="Checkout", environment="staging")  # checkout-2
    set_project_active(twin, False)
    create_project(owner=owner, name="Billing API", environment="production")
    key = issue_api_key(
        owner=owner, name="checkout-web", project=project, environment="production"
    ).api_key
    issue_api_key(owner=owner, name="release-scripts", access="read")
    revoke_api_key(issue_api_key(owner=owner, name="leaked-laptop", project=twin).api_key)

    imported = event_import.import_event(SYSTEM, project, load_event("python_sdk.json"))
    done, _ = explanations.explain_imported_event(Principal(user=owner), project, imported)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    done.refresh_from_db()
    failed = Explanation.objects.create(
        project=project,
        requested_by=owner,
        dedupe_key="demo:failed",
        environment="production",
        issue_id="4504123457",
        issue_short_id="BACKEND-2",
        issue_title="TypeError: Cannot read properties of undefined (reading 'price')",
        status=Explanation.FAILED,
        error="The model server answered HTTP 500. Try again, or check OPENAI_BASE_URL.",
    )
    return Demo(project, twin, production, staging, key, imported, done, failed)
