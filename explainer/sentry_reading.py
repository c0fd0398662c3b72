"""Reading a project's Sentry issues through its integration (pages and API call these)."""

from dataclasses import dataclass

from django.conf import settings

from integrations.crypto import DecryptionError
from integrations.services import read_auth_token
from projects import access
from projects.access import Action
from projects.services import environment_or_default

from . import issue_facts as facts
from .events import normalize_event
from .scrubbing import scrub, scrub_text
from .sentry_api import SentryApiError, SentryClient, SentryTokenUnreadable

PAGE_SIZE = 25
ISSUE_FIELDS = ("id", "shortId", "title", "culprit", "level", "status", "permalink")


class NoIntegration(SentryApiError):
    code = "no_integration"
    status_code = 404


@dataclass
class IssueList:
    results: list
    next_cursor: str | None


def environments(principal, project) -> list[str]:
    """The environments with an active integration that `principal` may read issues of."""
    active = project.sentry_integrations.filter(is_active=True).values_list(
        "environment", flat=True
    )
    return access.project_environments(principal, sorted(set(active)))


def environment_for(principal, project, requested: str | None, action=Action.READ_ISSUES) -> str:
    """The environment a request means (the project's default when it names none: the rule of
    the config endpoint), once the policy allows `action` there."""
    environment = environment_or_default(requested, project.environment)
    access.require(principal, action, environment)
    return environment


def integration_for(project, environment):
    integration = project.sentry_integrations.filter(
        environment=environment, is_active=True
    ).first()
    if integration is None:
        raise NoIntegration(
            f"Project “{project.name}” has no active Sentry integration for environment "
            f"“{environment}”. Add one on the project page, or import an event JSON."
        )
    return integration


def client_for(integration) -> SentryClient:
    try:
        token = read_auth_token(integration)
    except DecryptionError as error:
        raise SentryTokenUnreadable(
            "The stored Sentry auth token cannot be decrypted with the configured keys — was "
            "ENCRYPTION_KEY changed? Enter the token again on the integration."
        ) from error
    return SentryClient(
        integration.api_base_url,
        token,
        integration.org,
        integration.sentry_project,
        connect_timeout=settings.SENTRY_API_CONNECT_TIMEOUT,
        read_timeout=settings.SENTRY_API_READ_TIMEOUT,
        max_retries=settings.SENTRY_API_MAX_RETRIES,
        backoff=settings.SENTRY_API_BACKOFF_SECONDS,
        max_retry_after=settings.SENTRY_API_MAX_RETRY_AFTER,
        cache_seconds=settings.SENTRY_API_CACHE_SECONDS,
        cache_namespace=f"{integration.pk}:{integration.updated_at.timestamp()}",
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def issue_row(issue: dict) -> dict:
    """The fields we show and serve of a Sentry issue, scrubbed."""
    row = {key: scrub_text(str(issue.get(key) or "")) for key in ISSUE_FIELDS}
    row["permalink"] = str(issue.get("permalink") or "")
    row["count"] = _int(issue.get("count"))
    row["userCount"] = _int(issue.get("userCount"))
    row["firstSeen"] = issue.get("firstSeen")
    row["lastSeen"] = issue.get("lastSeen")
    for key in ("firstRelease", "lastRelease"):
        release = issue.get(key)
        if isinstance(release, dict):
            release = release.get("shortVersion") or release.get("version")
        row[key] = scrub_text(str(release or ""))[:200]
    return row


def list_issues(project, environment, *, query="is:unresolved", cursor=None) -> IssueList:
    client = client_for(integration_for(project, environment))
    page = client.list_issues(
        environment=environment, query=query, cursor=cursor or None, limit=PAGE_SIZE
    )
    return IssueList([issue_row(issue) for issue in page.results], page.next_cursor)


def issue_with_latest_event(project, environment, issue_id) -> tuple[dict, dict]:
    client = client_for(integration_for(project, environment))
    issue = issue_row(client.get_issue(issue_id))
    return issue, normalize_event(scrub(client.latest_event(issue_id)))


def issue_with_latest_raw_event(project, environment, issue_id) -> tuple[dict, dict]:
    """The issue row and its latest event as Sentry sent it, scrubbed (for the explainer)."""
    client = client_for(integration_for(project, environment))
    issue = issue_row(client.get_issue(issue_id))
    return issue, scrub(client.latest_event(issue_id))


def issue_facts(project, environment, issue: dict, event_id: str) -> dict:
    """The facts of a whole issue (`explainer.issue_facts`): counts and releases from its row,
    the spread of its top tags and its suspect commits from Sentry. A failure to read the tags
    or the commits is noted in the facts, never an error: they add to the event, which is
    what an explanation needs."""
    client = client_for(integration_for(project, environment))
    unavailable = []
    try:
        tags = client.issue_tags(issue["id"], facts.TOP_TAG_KEYS, environment=environment)
    except SentryApiError as error:
        tags = []
        unavailable.append(f"tags: {error.message}")
    try:
        committers = client.event_committers(event_id)
    except SentryApiError as error:
        committers = []
        unavailable.append(f"suspect commits: {error.message}")
    return facts.facts_from(issue, tags, committers, unavailable)


def delivered_issue_facts(project, environment, issue_id, event_id) -> dict:
    """The facts of the issue of an event delivered whole (an event-alert webhook); when
    Sentry cannot be read, facts that say so: the delivered event is explained regardless."""
    try:
        issue = issue_row(client_for(integration_for(project, environment)).get_issue(issue_id))
    except SentryApiError as error:
        return facts.facts_from({}, unavailable=[f"the issue: {error.message}"])
    return issue_facts(project, environment, issue, event_id)
