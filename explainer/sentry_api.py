"""A small client for Sentry's web API (`/api/0/`), used with an integration's auth token.

Endpoints (documented at https://docs.sentry.io/api/):

- `GET /api/0/projects/{org}/{project_slug}/`: resolves the project slug to its numeric id
  (cached), because the organization issue search filters by numeric project id.
- `GET /api/0/organizations/{org}/issues/?project=<id>&environment=&query=&sort=&limit=&cursor=`:
  the issue search. We use the organization endpoint rather than the older
  `/api/0/projects/{org}/{project}/issues/` because only the former takes `environment`, `sort`
  and `limit` as documented parameters.
- `GET /api/0/organizations/{org}/issues/{issue_id}/`: one issue.
- `GET /api/0/organizations/{org}/issues/{issue_id}/events/latest/`: its latest event.
- `GET /api/0/issues/{issue_id}/tags/?key=browser&key=os&...`: how the issue's events spread
  over a tag's values (`[{"key", "totalValues", "topValues": [{"value", "count"}]}]`).
- `GET /api/0/projects/{org}/{project_slug}/events/{event_id}/committers/`: suspect commits
  (`{"committers": [{"author", "commits": [...]}]}`); 404 when Sentry has none.

Pagination follows the `Link` header (`<url>; rel="next"; results="true"; cursor="..."`).
Connection errors and 5xx are retried with exponential backoff (bounded); a 429 is retried
after `Retry-After` / `X-Sentry-Rate-Limit-Reset` when that wait is short, otherwise it fails
with a message. Every error is a `SentryApiError` whose message a person can act on.

The client takes plain arguments (base URL, token, slugs, timeouts) so it can be used and
tested without the database; `for_integration()` in `explainer.services` builds one.
"""

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin

import requests
import sentry_sdk
from django.core.cache import cache

from sentry_manager.lib.outbound import OutboundRefused, guard_session

from .sentry_shapes import shape_problem

USER_AGENT = "SentryManager/1.0 (+self-hosted; issue explainer)"
LINK_PART = re.compile(r'<(?P<url>[^>]*)>((?:\s*;\s*[\w-]+="?[^";]*"?)*)')
LINK_PARAM = re.compile(r'([\w-]+)="?([^";]*)"?')


class SentryApiError(Exception):
    """A failure talking to Sentry, with a message meant for the person using the app."""

    code = "sentry_error"
    status_code = 502

    def __init__(self, message, *, upstream_status=None):
        super().__init__(message)
        self.message = message
        self.upstream_status = upstream_status


class SentryTokenMissing(SentryApiError):
    code = "sentry_token_missing"
    status_code = 409


class SentryTokenUnreadable(SentryApiError):
    code = "sentry_token_unreadable"
    status_code = 409


class SentryAuthFailed(SentryApiError):
    code = "sentry_token_invalid"


class SentryForbidden(SentryApiError):
    code = "sentry_token_scopes"


class SentryNotFound(SentryApiError):
    code = "sentry_not_found"
    status_code = 404


class SentryRateLimited(SentryApiError):
    code = "sentry_rate_limited"
    status_code = 503

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class SentryTimeout(SentryApiError):
    code = "sentry_timeout"
    status_code = 504


class SentryUnavailable(SentryApiError):
    code = "sentry_unavailable"


class SentryAddressRefused(SentryApiError):
    """The API base URL resolves to an address a token may not be sent to."""

    code = "sentry_address_refused"
    status_code = 409


class SentryBadResponse(SentryApiError):
    """Sentry answered 200, but not with the shape the endpoint documents."""

    code = "sentry_bad_response"


@dataclass
class IssuePage:
    results: list = field(default_factory=list)
    next_cursor: str | None = None


def parse_link_header(value: str | None) -> dict[str, dict]:
    """`Link` header → {"next": {"url":..., "results": "true", "cursor": "..."}, ...}."""
    links = {}
    for match in LINK_PART.finditer(value or ""):
        params = dict(LINK_PARAM.findall(match.group(2)))
        rel = params.pop("rel", None)
        if rel:
            links[rel] = {"url": match.group("url"), **params}
    return links


def next_cursor(link_header: str | None) -> str | None:
    nxt = parse_link_header(link_header).get("next")
    if nxt and nxt.get("results") == "true" and nxt.get("cursor"):
        return nxt["cursor"]
    return None


class SentryClient:
    def __init__(
        self,
        base_url,
        token,
        org,
        project,
        *,
        connect_timeout=5.0,
        read_timeout=15.0,
        max_retries=2,
        backoff=0.5,
        max_retry_after=10.0,
        cache_seconds=60,
        cache_namespace="",
        session=None,
        sleep=time.sleep,
    ):
        if not token:
            raise SentryTokenMissing(
                "No Sentry auth token is set for this integration. Add one with the "
                "event:read, project:read and org:read scopes, or import an event JSON instead."
            )
        self.base_url = base_url.rstrip("/") + "/"
        self.org = org
        self.project = project
        self.timeout = (connect_timeout, read_timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.cache_seconds = cache_seconds
        token_hash = hashlib.sha256(token.encode()).hexdigest()[:16]
        self.cache_prefix = f"sentry_api:{cache_namespace}:{token_hash}"
        self.sleep = sleep
        # Every connection is checked after DNS resolution (sentry_manager.lib.outbound).
        self.session = guard_session(session or requests.Session())
        self.session.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            }
        )

    # --- endpoints ------------------------------------------------------------------------

    def project_id(self) -> str:
        path = f"projects/{quote(self.org)}/{quote(self.project)}/"
        data, _ = self._get(path, endpoint="project", cache_seconds=max(self.cache_seconds, 600))
        self._expect(data, dict, path, "a project", required="id")
        return str(data["id"])

    def list_issues(
        self, *, environment=None, query="is:unresolved", sort="date", limit=25, cursor=None
    ) -> IssuePage:
        params = {"project": self.project_id(), "query": query or "", "sort": sort}
        params["limit"] = limit
        if environment:
            params["environment"] = environment
        if cursor:
            params["cursor"] = cursor
        path = f"organizations/{quote(self.org)}/issues/"
        data, headers = self._get(path, params=params, endpoint="issues")
        self._expect(data, list, path, "a list of issues")
        for issue in data:
            self._expect(issue, dict, path, "a list of issues", required="id")
        return IssuePage(results=data, next_cursor=next_cursor(headers.get("Link")))

    def get_issue(self, issue_id) -> dict:
        issue_id = self._issue_id(issue_id)
        path = f"organizations/{quote(self.org)}/issues/{issue_id}/"
        data, _ = self._get(path, endpoint="issue")
        self._expect(data, dict, path, "an issue", required="id")
        project = data.get("project") if isinstance(data.get("project"), dict) else {}
        if project.get("slug") and project["slug"] != self.project:
            raise SentryNotFound(
                f"Issue {issue_id} belongs to Sentry project “{project['slug']}”, "
                f"not to “{self.project}”."
            )
        return data

    def latest_event(self, issue_id) -> dict:
        issue_id = self._issue_id(issue_id)
        path = f"organizations/{quote(self.org)}/issues/{issue_id}/events/latest/"
        data, _ = self._get(path, endpoint="latest_event")
        self._expect(data, dict, path, "an event", required=("eventID", "id", "event_id"))
        return data

    def issue_tags(self, issue_id, keys, *, environment=None) -> list:
        issue_id = self._issue_id(issue_id)
        params = {"key": list(keys), "limit": 3}
        if environment:
            params["environment"] = environment
        data, _ = self._get(f"issues/{issue_id}/tags/", params=params, endpoint="issue_tags")
        return data if isinstance(data, list) else []

    def event_committers(self, event_id) -> list:
        """The suspect commits of an event; none (not an error) when Sentry answers 404."""
        event_id = str(event_id)
        if not re.fullmatch(r"[0-9a-f]{32}", event_id):
            return []
        path = f"projects/{quote(self.org)}/{quote(self.project)}/events/{event_id}/committers/"
        try:
            data, _ = self._get(path, endpoint="committers")
        except SentryNotFound:
            return []  # no commits linked (no release or no repository integration)
        committers = data.get("committers") if isinstance(data, dict) else None
        return committers if isinstance(committers, list) else []

    # --- plumbing -------------------------------------------------------------------------

    def _expect(self, data, kind, path, what, required=()):
        """SentryBadResponse unless `data` is a `kind` (with one of the `required` keys)."""
        problem = shape_problem(data, kind, required)
        if problem is not None:
            raise SentryBadResponse(
                f"Sentry answered GET /api/0/{path} with {problem}, not {what}. Is "
                f"{self.base_url} a Sentry server (the integration's API base URL), and is it "
                "up to date?"
            )

    @staticmethod
    def _issue_id(issue_id) -> str:
        issue_id = str(issue_id)
        if not issue_id.isdigit():
            raise SentryNotFound(f"“{issue_id}” is not a Sentry issue id (a number).")
        return issue_id

    def _cache_key(self, path, params):
        raw = json.dumps([path, sorted((params or {}).items())], default=str)
        return f"{self.cache_prefix}:{hashlib.sha256(raw.encode()).hexdigest()}"

    def _get(self, path, *, params=None, endpoint, cache_seconds=None):
        ttl = self.cache_seconds if cache_seconds is None else cache_seconds
        key = self._cache_key(path, params)
        if ttl:
            cached = cache.get(key)
            if cached is not None:
                return cached
        response = self._request(path, params, endpoint)
        try:
            data = response.json()
        except ValueError as error:
            raise SentryUnavailable(
                f"Sentry answered {endpoint} with something that is not JSON "
                f"(HTTP {response.status_code}). Is {self.base_url} a Sentry server?"
            ) from error
        result = (data, {"Link": response.headers.get("Link")})
        if ttl:
            cache.set(key, result, ttl)
        return result

    def _request(self, path, params, endpoint):
        url = urljoin(self.base_url, "api/0/" + path)
        attempt = 0
        while True:
            started = time.monotonic()
            with sentry_sdk.start_span(op="http.client.sentry_api", name=f"GET {endpoint}") as span:
                span.set_data("endpoint", endpoint)
                status = None
                try:
                    response = self.session.get(url, params=params, timeout=self.timeout)
                    status = response.status_code
                except OutboundRefused as refused:
                    raise SentryAddressRefused(refused.message) from refused
                except requests.ConnectionError as error:
                    failure = error
                    response = None
                except requests.Timeout as error:
                    failure = error
                    response = None
                duration = time.monotonic() - started
                span.set_data("status", status)
                span.set_data("duration", round(duration, 3))
            sentry_sdk.add_breadcrumb(
                category="sentry_api",
                message=f"GET {endpoint}",
                data={"endpoint": endpoint, "status": status, "duration": round(duration, 3)},
                level="info" if status and status < 400 else "warning",
            )
            if response is None:
                if isinstance(failure, requests.ReadTimeout):
                    raise SentryTimeout(
                        f"Sentry did not answer within {self.timeout[1]:g} s ({self.base_url}). "
                        "Try again later."
                    ) from failure
                if attempt < self.max_retries:
                    self._pause(attempt)
                    attempt += 1
                    continue
                if isinstance(failure, requests.Timeout):
                    raise SentryTimeout(
                        f"Could not connect to Sentry at {self.base_url} within "
                        f"{self.timeout[0]:g} s. Check the integration's API base URL."
                    ) from failure
                raise SentryUnavailable(
                    f"Could not connect to Sentry at {self.base_url}. Check the integration's "
                    "API base URL and that this server can reach it."
                ) from failure
            if status < 400:
                return response
            if status >= 500 and attempt < self.max_retries:
                self._pause(attempt)
                attempt += 1
                continue
            if status == 429:
                wait = retry_after_seconds(response.headers)
                if wait is not None and wait <= self.max_retry_after and attempt < self.max_retries:
                    self.sleep(wait)
                    attempt += 1
                    continue
                raise SentryRateLimited(
                    "Sentry is rate-limiting this token"
                    + (
                        f"; try again in {int(wait) + 1} s." if wait is not None else "; try later."
                    ),
                    retry_after=wait,
                    upstream_status=status,
                )
            raise self._error_for(status, endpoint, response)

    def _pause(self, attempt):
        self.sleep(self.backoff * (2**attempt))

    def _error_for(self, status, endpoint, response):
        detail = _detail(response)
        if status == 401:
            return SentryAuthFailed(
                "Sentry rejected the auth token (401): it is invalid, revoked or expired. "
                "Create a new token in Sentry and save it in the integration.",
                upstream_status=status,
            )
        if status == 403:
            scopes = "project:read" if endpoint == "project" else "event:read"
            return SentryForbidden(
                f"The auth token is not allowed to read this (403): it lacks the `{scopes}` "
                "scope or access to the project. Sentry needs event:read, project:read and "
                f"org:read.{f' Sentry said: {detail}' if detail else ''}",
                upstream_status=status,
            )
        if status == 404:
            if endpoint == "project":
                return SentryNotFound(self._which_slug_is_wrong(), upstream_status=status)
            if endpoint == "issues":
                return SentryNotFound(
                    f"Sentry organization “{self.org}” was not found at {self.base_url}. "
                    "Check the organization slug and the API base URL (region).",
                    upstream_status=status,
                )
            return SentryNotFound(
                f"Sentry has no such issue or event in organization “{self.org}”.",
                upstream_status=status,
            )
        return SentryUnavailable(
            f"Sentry answered HTTP {status}. Try again later."
            + (f" Sentry said: {detail}" if detail else ""),
            upstream_status=status,
        )

    def _which_slug_is_wrong(self) -> str:
        """A 404 on the project: tell whether the organization or the project slug is wrong."""
        try:
            response = self.session.get(
                urljoin(self.base_url, f"api/0/organizations/{quote(self.org)}/"),
                timeout=self.timeout,
            )
            org_missing = response.status_code == 404
        except (requests.RequestException, OutboundRefused):
            org_missing = False
        if org_missing:
            return (
                f"Sentry organization “{self.org}” was not found at {self.base_url}. Check the "
                "organization slug and the API base URL (sentry.io, a region such as "
                "https://de.sentry.io, or your self-hosted URL)."
            )
        return (
            f"Sentry project “{self.project}” was not found in organization “{self.org}”. "
            "Check the project slug (or that the token's team can see it)."
        )


def retry_after_seconds(headers) -> float | None:
    value = headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    reset = headers.get("X-Sentry-Rate-Limit-Reset")
    if reset:
        try:
            return max(0.0, float(reset) - time.time())
        except ValueError:
            return None
    return None


def _detail(response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"][:300]
    return ""
