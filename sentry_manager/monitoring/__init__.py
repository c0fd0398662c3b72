"""Self-monitoring with sentry-sdk, one module per concern.

Nothing here runs unless `APP_SENTRY_DSN` is set: `init_sentry()` returns without touching
the SDK, and every helper is a cheap no-op while the SDK has no active client.

- `sdk`: `init_sentry()` (called once from `SentryManagerConfig.ready()`, safe to call again)
  and `status()` for the debug endpoint.
- `scrubbing`: `scrub_event` is `before_send` and `before_send_transaction`,
  `scrub_breadcrumb` is `before_breadcrumb`: they remove secrets the SDK could miss.
- `context`: `SentryContextMiddleware` sets the user (id only) and the project / team tags.
- `calls`: `monitored_call(op, description, **data)` wraps an outgoing call (Sentry API, LLM)
  in a span plus a breadcrumb; `report_outcome(...)` records that a piece of work finished.
- `tasks`: each run of a `django.tasks` task is a Sentry transaction.
- `release`: the release name; `debug` and `urls`: the development-only debug endpoints.
"""

from .calls import monitored_call, report_outcome
from .context import SentryContextMiddleware
from .release import default_release, release
from .scrubbing import FILTERED, is_sensitive_key, scrub, scrub_breadcrumb, scrub_event
from .sdk import dsn_summary, init_sentry, is_enabled, status
from .tasks import connect_task_signals

__all__ = [
    "FILTERED",
    "SentryContextMiddleware",
    "connect_task_signals",
    "default_release",
    "dsn_summary",
    "init_sentry",
    "is_enabled",
    "is_sensitive_key",
    "monitored_call",
    "release",
    "report_outcome",
    "scrub",
    "scrub_breadcrumb",
    "scrub_event",
    "status",
]
