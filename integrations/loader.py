"""The browser loader: `GET /js/<loader id>.js`, a small public script that starts the Sentry
browser SDK with an integration's DSN, environment and sample rates.

No API key reaches a browser: the loader id is public (like a DSN), random, revocable and
regenerable. The script loads the vendored SDK from this app (never a CDN) unless the page
already has its own `window.Sentry`, and is written for the Content-Security-Policy of the pages
that embed it: no eval, no inline code or style, and the page's nonce passed on to the SDK's
`<script>`. Errors thrown before the SDK has loaded are kept and sent once it starts.
"""

import base64
import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings

from .models import SentryIntegration

SDK_VERSION = "11.12.0"
SDK_FILE = f"sentry-browser-{SDK_VERSION}.tracing.replay.min.js"
SDK_PATH = Path(settings.BASE_DIR) / "static" / "vendor" / "sentry" / SDK_FILE


@functools.cache
def sdk_bundle() -> bytes:
    return SDK_PATH.read_bytes()


@functools.cache
def sdk_integrity() -> str:
    """Subresource Integrity of the vendored SDK, so a page runs exactly this file."""
    return "sha384-" + base64.b64encode(hashlib.sha384(sdk_bundle()).digest()).decode()


def integration_for(loader_id: str) -> SentryIntegration | None:
    """The active integration (of an active project) with this loader id, else None."""
    return (
        SentryIntegration.objects.filter(
            loader_id=loader_id, is_active=True, project__is_active=True
        )
        .select_related("project")
        .first()
    )


def _js(value) -> str:
    """A JSON literal that is also safe JavaScript (and inert inside HTML)."""
    text = json.dumps(value, sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def script(integration: SentryIntegration, sdk_url: str) -> str:
    """The loader's JavaScript for `integration`, loading the SDK from `sdk_url`."""
    options = {
        "dsn": integration.dsn,
        "environment": integration.environment,
        "tracesSampleRate": integration.traces_sample_rate,
        "replaysSessionSampleRate": integration.replays_session_sample_rate,
        "replaysOnErrorSampleRate": integration.replays_on_error_sample_rate,
    }
    sdk = {"src": sdk_url, "integrity": sdk_integrity()}
    return LOADER_TEMPLATE % {
        "where": f"{integration.project.slug} · {integration.environment}",
        "max_age": settings.LOADER_CACHE_MAX_AGE,
        "options": _js(options),
        "origins": _js(integration.loader_origins),
        "sdk": _js(sdk),
    }


LOADER_TEMPLATE = """\
/* Sentry Manager browser loader: %(where)s. Caches may keep it up to %(max_age)s s. */
(function (w, d) {
  "use strict";
  var options = %(options)s;
  var origins = %(origins)s;
  var sdk = %(sdk)s;
  if (origins.length && origins.indexOf(w.location.origin) === -1) {
    if (w.console) {
      w.console.warn("Sentry Manager loader: " + w.location.origin +
        " is not an allowed page origin of this loader; Sentry was not started.");
    }
    return;
  }
  var early = [];
  function keep(event) { early.push(event); }
  w.addEventListener("error", keep);
  w.addEventListener("unhandledrejection", keep);

  function start() {
    w.removeEventListener("error", keep);
    w.removeEventListener("unhandledrejection", keep);
    var Sentry = w.Sentry;
    if (!Sentry || !Sentry.init || (Sentry.getClient && Sentry.getClient())) {
      return; // no SDK, or the page started Sentry itself
    }
    var integrations = [];
    if (options.tracesSampleRate > 0 && Sentry.browserTracingIntegration) {
      integrations.push(Sentry.browserTracingIntegration());
    }
    var replays = options.replaysSessionSampleRate > 0 || options.replaysOnErrorSampleRate > 0;
    if (replays && Sentry.replayIntegration) {
      integrations.push(Sentry.replayIntegration());
    }
    options.integrations = integrations;
    Sentry.init(options);
    early.forEach(function (event) {
      var error = "reason" in event ? event.reason : event.error || new Error(event.message);
      Sentry.captureException(error);
    });
  }

  if (w.Sentry && w.Sentry.init) {
    start();
    return;
  }
  var current = d.currentScript;
  var tag = d.createElement("script");
  tag.src = sdk.src;
  tag.integrity = sdk.integrity;
  tag.crossOrigin = "anonymous";
  if (current && current.nonce) {
    tag.nonce = current.nonce;
  }
  tag.addEventListener("load", start);
  (d.head || d.documentElement).appendChild(tag);
})(window, document);
"""
