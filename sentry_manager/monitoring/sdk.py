"""Starting the SDK (only when APP_SENTRY_DSN is set) and reporting what it runs with."""

from urllib.parse import urlsplit

import sentry_sdk
from django.conf import settings

from .release import release
from .scrubbing import scrub_breadcrumb, scrub_event


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
