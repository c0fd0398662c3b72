"""One shape for a Sentry event, whichever way it arrived.

Sentry hands events over in several shapes:

- the web API's (`GET .../events/latest/`): `entries: [{"type": "exception", "data": {...}},
  {"type": "breadcrumbs", ...}, {"type": "message", ...}, {"type": "request", ...}]`, frames with
  `lineNo`, `inApp` and `context: [[line, text], ...]`, tags as `[{"key", "value"}]`;
- the ingest/SDK shape (the "JSON" download in Sentry's UI): `exception.values[]`, frames with
  `lineno`, `in_app`, `pre_context`/`context_line`/`post_context`, tags as a dict or pairs;
  older SDKs name the same interfaces `sentry.interfaces.Exception`, `...Http`, ...;
- security reports (`csp`, `hpkp`, `expectct`, or a browser's `{"csp-report": ...}`);
- an integration webhook body: `{"action": "created", "data": {"event": {...}}}` (or
  `"error"` for `error.created`).

`normalize_event()` turns any of them into the dict the pages, the JSON API, the prompt and the
built-in analysis all read; `payload` unwraps, modernizes, checks and identifies an event;
`frames` reads stacks and exception chains.
"""

from .frames import (
    chain_lines,
    exception_label,
    frame_anchor,
    frame_label,
    link_locations,
    raise_site,
)
from .normalize import normalize_event
from .payload import event_id_of, modernize, unwrap_event, validate_event, with_event_id
from .values import iso_time

__all__ = [
    "chain_lines",
    "event_id_of",
    "exception_label",
    "frame_anchor",
    "frame_label",
    "iso_time",
    "link_locations",
    "modernize",
    "normalize_event",
    "raise_site",
    "unwrap_event",
    "validate_event",
    "with_event_id",
]
