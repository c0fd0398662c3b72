"""Spans and breadcrumbs around outgoing calls (Sentry API, LLM) and finished work."""

import time
from contextlib import contextmanager

import sentry_sdk

from .sdk import is_enabled


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
