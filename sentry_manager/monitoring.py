"""Self-monitoring with sentry-sdk: initialisation, scrubbing, request context, task tracing.

Nothing here runs unless `APP_SENTRY_DSN` is set: `init_sentry()` returns without touching
the SDK, and every helper below is a cheap no-op while the SDK has no active client.

- `init_sentry()` is called once from `SentryManagerConfig.ready()`; calling it again is safe.
- `scrub_event` is `before_send` and `before_send_transaction`, `scrub_breadcrumb` is
  `before_breadcrumb`: they remove secrets the SDK's own scrubbing could miss.
- `SentryContextMiddleware` sets the user (id only) and the project / team tags.
- `monitored_call(op, description, **data)` wraps an outgoing call (Sentry API, LLM) in a
  span plus a breadcrumb with its duration and status.
- `report_outcome(category, message, failed=..., **data)` records that a piece of work (an
  explanation) finished: a breadcrumb, plus a warning event when it failed.
- Each run of a `django.tasks` task is a Sentry transaction (signals `task_started` /
  `task_finished`, so it holds for every backend, the database worker included).
"""

import functools
import re
import sys
import threading
import time
import tomllib
import weakref
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import sentry_sdk
from django.conf import settings
from django.tasks import TaskResultStatus

FILTERED = "[Filtered]"
PACKAGE = "sentry-manager"
TASK_OP = "queue.task.django"

# --- Release ----------------------------------------------------------------------------------


def _package_version(base_dir: Path) -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        pass
    try:
        with open(base_dir / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0.0.0"


def _git_sha(base_dir: Path) -> str:
    """The checked-out commit, read from the .git files (no subprocess); "" when unknown."""
    git = base_dir / ".git"
    try:
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            git = (base_dir / git.read_text().split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head[4:].strip()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        for root in (git, common):
            if (root / ref).is_file():
                return (root / ref).read_text().strip()
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except (OSError, IndexError):
        pass
    return ""


@functools.cache
def default_release() -> str:
    """`sentry-manager@<version>` plus `+<git sha>` when there is a checkout; computed once."""
    base_dir = Path(settings.BASE_DIR)
    release = f"{PACKAGE}@{_package_version(base_dir)}"
    sha = _git_sha(base_dir)
    if re.fullmatch(r"[0-9a-f]{40}", sha):
        release += f"+{sha[:12]}"
    return release


def release() -> str:
    return settings.APP_SENTRY_RELEASE or default_release()


# --- Scrubbing ------------------------------------------------------------------------------

_SENSITIVE_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "authorization",
        "cookie",
        "cookies",
        "dsn",
        "apikey",
        "csrftoken",
        "sessionid",
        "credential",
        "credentials",
    }
)
_SENSITIVE_PHRASES = ("api_key", "access_key", "private_key", "set_cookie", "session_id")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")

_SECRET_PATTERNS = [
    # Sentry organization and user auth tokens.
    (re.compile(r"\bsntry[su]_[A-Za-z0-9_+/=.\-]+"), FILTERED),
    # API keys of this app: smk_<prefix>_<secret>.
    (re.compile(r"\bsmk_[A-Za-z0-9_\-]+"), FILTERED),
    # OpenAI-style API keys.
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"), FILTERED),
    # JSON Web Tokens.
    (re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), FILTERED),
    # Authorization header values.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+"), rf"\1 {FILTERED}"),
    # Credentials in URLs, DSN public keys included: https://<key>@host/1.
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s:@]+(?::[^/\s@]*)?@"), rf"\1{FILTERED}@"),
    # name=value pairs (query strings, form bodies, log lines) with a secret-looking name.
    (
        re.compile(
            r"(?i)(?<![a-z0-9_\-])([a-z0-9_\-]*(?:password|secret|token|api_?key|dsn|sessionid)"
            r"[a-z0-9_\-]*)=[^&;\s\"']+"
        ),
        rf"\1={FILTERED}",
    ),
]


def is_sensitive_key(key) -> bool:
    """Whether a dict key (header, variable, field name) names something secret."""
    if not isinstance(key, str):
        return False
    name = _NON_WORD.sub("_", _CAMEL_BOUNDARY.sub("_", key).lower())
    return bool(_SENSITIVE_WORDS.intersection(name.split("_"))) or any(
        phrase in name for phrase in _SENSITIVE_PHRASES
    )


def scrub_string(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _filtered(value):
    # Booleans and absent values say nothing secret ("hasAuthToken": true stays readable).
    return value if value is None or isinstance(value, bool) else FILTERED


def scrub(value, _depth: int = 0):
    """A copy of `value` with secrets replaced by "[Filtered]", at any depth."""
    if _depth > 64:
        return value
    if isinstance(value, str):
        return scrub_string(value)
    if isinstance(value, dict):
        return {
            key: _filtered(item) if is_sensitive_key(key) else scrub(item, _depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        # Header lists: [["Authorization", "Bearer ..."], ...]
        if len(value) == 2 and is_sensitive_key(value[0]):
            return type(value)([value[0], _filtered(value[1])])
        return type(value)(scrub(item, _depth + 1) for item in value)
    return value


def scrub_event(event, hint):
    """`before_send` / `before_send_transaction`: the event without secrets."""
    return scrub(event)


def scrub_breadcrumb(crumb, hint):
    """`before_breadcrumb`: the breadcrumb without secrets."""
    return scrub(crumb)


# --- Initialisation ---------------------------------------------------------------------------


def is_enabled() -> bool:
    return sentry_sdk.get_client().is_active()


def init_sentry() -> bool:
    """Start the SDK when `APP_SENTRY_DSN` is set; returns whether it is on. Idempotent."""
    dsn = settings.APP_SENTRY_DSN
    if not dsn:
        return False  # never call sentry_sdk.init: it would fall back to $SENTRY_DSN
    client = sentry_sdk.get_client()
    if client.is_active() and client.options.get("dsn") == dsn:
        return True

    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.openai import OpenAIIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=settings.APP_SENTRY_ENVIRONMENT,
        release=release(),
        traces_sample_rate=settings.APP_SENTRY_TRACES_SAMPLE_RATE,
        # Profiling: the share of processes whose sampled transactions are profiled
        # (continuous profiling; per-transaction profiles_sample_rate is deprecated).
        profile_session_sample_rate=settings.APP_SENTRY_PROFILES_SAMPLE_RATE or None,
        profile_lifecycle="trace",
        # send_default_pii is left unset, which the SDK treats as False (no IP, no email, no
        # cookies); sentry-sdk 2.75 deprecates passing it explicitly.
        # Request bodies carry DSNs and auth tokens (integration forms); never send them.
        max_request_body_size="never",
        integrations=[DjangoIntegration(transaction_style="url")],
        # LLM calls are traced by explainer.llm (monitored_call); the SDK's own OpenAI
        # integration would also report handled API errors and send the local variables
        # holding the prompt.
        disabled_integrations=[OpenAIIntegration()],
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
    )
    return True


def dsn_summary(dsn: str) -> dict:
    """Host and project id of a DSN; never its key."""
    if not dsn:
        return {"host": None, "projectId": None}
    parts = urlsplit(dsn)
    project_id = parts.path.rstrip("/").rsplit("/", 1)[-1] or None
    host = parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else None
    return {"host": host, "projectId": project_id}


def status() -> dict:
    """What the SDK runs with (or would run with), for the debug endpoint: nothing secret."""
    client = sentry_sdk.get_client()
    if client.is_active():
        options = client.options
        dsn, environment, release_name = options["dsn"], options["environment"], options["release"]
        traces, profiles = options["traces_sample_rate"], options["profile_session_sample_rate"]
    else:
        dsn, environment, release_name = "", settings.APP_SENTRY_ENVIRONMENT, release()
        traces = settings.APP_SENTRY_TRACES_SAMPLE_RATE
        profiles = settings.APP_SENTRY_PROFILES_SAMPLE_RATE
    summary = dsn_summary(dsn)
    return {
        "enabled": client.is_active(),
        "dsnHost": summary["host"],
        "dsnProjectId": summary["projectId"],
        "environment": environment,
        "release": release_name,
        "tracesSampleRate": traces or 0.0,
        "profilesSampleRate": profiles or 0.0,
        "sendDefaultPii": client.should_send_default_pii() if client.is_active() else False,
    }


# --- Request context --------------------------------------------------------------------------

PROJECT_SLUG_KWARGS = ("slug", "project_slug")
PROJECT_ID_KWARGS = ("project_id",)
TEAM_KWARGS = ("team_slug", "team")


def _user_processor(request_ref):
    def add_user(event, hint):
        request = request_ref()
        user = getattr(request, "user", None) if request is not None else None
        # At event time: DRF has authenticated by now (API keys included) and set request.user.
        if user is not None and getattr(user, "is_authenticated", False):
            event["user"] = {"id": str(user.pk)}
        elif "user" in event:
            event["user"] = {key: v for key, v in event["user"].items() if key == "id"}
        return event

    return add_user


class SentryContextMiddleware:
    """Tags every event of a request with its user id (never the email) and project / team."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_enabled():
            scope = sentry_sdk.get_isolation_scope()
            scope.add_event_processor(_user_processor(weakref.ref(request)))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not view_kwargs or not is_enabled():
            return None
        scope = sentry_sdk.get_isolation_scope()
        for name in PROJECT_SLUG_KWARGS:
            if view_kwargs.get(name):
                scope.set_tag("project", str(view_kwargs[name]))
                break
        for name in PROJECT_ID_KWARGS:
            if view_kwargs.get(name):
                scope.set_tag("project_id", str(view_kwargs[name]))
                break
        for name in TEAM_KWARGS:
            if view_kwargs.get(name):
                scope.set_tag("team", str(view_kwargs[name]))
                break
        return None


# --- Outgoing calls -----------------------------------------------------------------------------


class MonitoredCall:
    """What `monitored_call` yields: record the outcome of the call while it runs."""

    __slots__ = ("span", "data", "status")

    def __init__(self, span, data):
        self.span = span
        self.data = data
        self.status = "ok"

    def set_data(self, key: str, value) -> None:
        """E.g. "http.status_code", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"."""
        self.data[key] = value
        if self.span is not None:
            self.span.set_data(key, value)

    def set_status(self, status: str) -> None:
        """A Sentry span status: "ok", "internal_error", "unauthenticated", ..."""
        self.status = status
        if self.span is not None:
            self.span.set_status(status)

    def set_http_status(self, code: int) -> None:
        """The HTTP status of the response: span status and breadcrumb level follow it."""
        self.data["http.status_code"] = code
        if self.span is not None:
            self.span.set_http_status(code)
            self.span.set_data("http.status_code", code)
            self.status = self.span.status or self.status
        elif code >= 400:
            self.status = "error"


class _NoopCall(MonitoredCall):
    def __init__(self):
        super().__init__(None, {})

    def set_data(self, key, value):
        pass


@contextmanager
def monitored_call(op: str, description: str, **data):
    """A span and a breadcrumb around an outgoing call; nothing at all when Sentry is off.

        with monitored_call("http.client", "GET /api/0/projects/acme/web/issues/",
                            endpoint="issues") as call:
            response = session.get(url)
            call.set_http_status(response.status_code)

        with monitored_call("gen_ai.chat", "chat gpt-4o-mini", model="gpt-4o-mini") as call:
            ...
            call.set_data("gen_ai.usage.input_tokens", usage.prompt_tokens)

    An exception raised inside marks the call failed ("internal_error") and propagates.
    """
    if not is_enabled():
        yield _NoopCall()
        return

    started = time.monotonic()
    with sentry_sdk.start_span(op=op, name=description) as span:
        call = MonitoredCall(span, dict(data))
        for key, value in data.items():
            span.set_data(key, value)
        failed = False
        try:
            yield call
        except BaseException:
            failed = True
            call.set_status("internal_error")
            raise
        finally:
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            span.set_data("duration_ms", duration_ms)
            if call.status == "ok" and not failed:
                span.set_status("ok")
            sentry_sdk.add_breadcrumb(
                type="http" if op.startswith("http") else "default",
                category=op,
                message=description,
                level="error" if failed or call.status != "ok" else "info",
                data={**call.data, "duration_ms": duration_ms, "status": call.status},
            )


def report_outcome(category: str, message: str, *, failed: bool = False, **data) -> None:
    """A breadcrumb when work finishes; when it failed, also a warning event grouped by
    `category` and `data["reason_code"]` (scrubbed like every event)."""
    if not is_enabled():
        return
    sentry_sdk.add_breadcrumb(
        category=category, message=message, level="error" if failed else "info", data=data
    )
    if failed:
        with sentry_sdk.new_scope() as scope:
            scope.set_tag("outcome", category)
            scope.set_context(category, data)
            scope.fingerprint = [category, str(data.get("reason_code", "failed"))]
            sentry_sdk.capture_message(message, level="warning")


# --- Tasks ------------------------------------------------------------------------------------

_running_tasks = threading.local()


def _runs() -> dict:
    runs = getattr(_running_tasks, "runs", None)
    if runs is None:
        runs = _running_tasks.runs = {}
    return runs


def _task_started(sender, task_result, **kwargs):
    if not is_enabled():
        return
    task = task_result.task
    isolation = sentry_sdk.isolation_scope()
    scope = isolation.__enter__()
    try:
        scope.set_tag("task", task.module_path)
        scope.set_context(
            "task",
            {
                "id": str(task_result.id),
                "backend": task_result.backend,
                "queue": task.queue_name,
                "attempt": len(task_result.worker_ids),
            },
        )
        transaction = sentry_sdk.start_transaction(
            op=TASK_OP, name=task.module_path, source="task", origin="manual"
        )
        transaction.__enter__()
    except BaseException:
        isolation.__exit__(*sys.exc_info())
        raise
    _runs()[task_result.id] = (isolation, transaction)


def _task_finished(sender, task_result, **kwargs):
    run = _runs().pop(task_result.id, None)
    if run is None:
        return
    isolation, transaction = run
    # Sent from inside the backend's exception handler when the task failed.
    exc_info = sys.exc_info()
    try:
        if task_result.status == TaskResultStatus.FAILED:
            transaction.set_status("internal_error")
            if exc_info[0] is not None:
                sentry_sdk.capture_exception(exc_info)
        else:
            transaction.set_status("ok")
    finally:
        transaction.__exit__(None, None, None)
        isolation.__exit__(None, None, None)


def connect_task_signals() -> None:
    from django.tasks.signals import task_finished, task_started

    task_started.connect(_task_started, dispatch_uid="sentry_manager.monitoring.task_started")
    task_finished.connect(_task_finished, dispatch_uid="sentry_manager.monitoring.task_finished")
