"""A local Sentry ingest: accepts envelopes at /api/<project id>/envelope/ like sentry.io does.

The real sentry-sdk is pointed at it with a DSN (`http://public@127.0.0.1:<port>/<id>`), and
tests read back what the SDK actually put on the wire.
"""

import gzip
import json
from dataclasses import dataclass, field

PUBLIC_KEY = "public"


@dataclass
class Envelope:
    headers: dict
    items: list = field(default_factory=list)  # [(item headers, payload bytes)]
    raw: bytes = b""  # the decompressed body, to look for anything that should not be there
    auth: str = ""


def decompress(body: bytes, encoding: str) -> bytes:
    encoding = (encoding or "").strip().lower()
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli  # only when the SDK found it installed

        return brotli.decompress(body)
    if encoding in ("", "identity"):
        return body
    raise ValueError(f"unexpected Content-Encoding {encoding!r}")


def parse_envelope(body: bytes) -> Envelope:
    """Sentry's envelope format: a header line, then (item header line, payload) pairs."""
    header_line, _, rest = body.partition(b"\n")
    envelope = Envelope(headers=json.loads(header_line), raw=body)
    while rest:
        item_line, _, rest = rest.partition(b"\n")
        if not item_line.strip():
            continue
        item_headers = json.loads(item_line)
        length = item_headers.get("length")
        if length is None:
            payload, _, rest = rest.partition(b"\n")
        else:
            payload, rest = rest[:length], rest[length:]
            if rest.startswith(b"\n"):
                rest = rest[1:]
        envelope.items.append((item_headers, payload))
    return envelope


class SentryIngest:
    def __init__(self, httpserver, project_id=42):
        self.server = httpserver
        self.project_id = project_id
        self.dsn = f"http://{PUBLIC_KEY}@127.0.0.1:{httpserver.port}/{project_id}"
        # Like sentry.io, it answers browsers of any origin (the browser SDK posts cross-origin).
        httpserver.expect_request(f"/api/{project_id}/envelope/", method="POST").respond_with_json(
            {}, headers={"Access-Control-Allow-Origin": "*"}
        )

    def envelopes(self) -> list[Envelope]:
        received = []
        for request, _response in self.server.log:
            if request.path != f"/api/{self.project_id}/envelope/":
                continue
            body = decompress(request.get_data(), request.headers.get("Content-Encoding"))
            envelope = parse_envelope(body)
            envelope.auth = request.headers.get("X-Sentry-Auth", "")
            received.append(envelope)
        return received

    def payloads(self, item_type: str) -> list[dict]:
        return [
            json.loads(payload)
            for envelope in self.envelopes()
            for headers, payload in envelope.items
            if headers.get("type") == item_type
        ]

    def events(self) -> list[dict]:
        return self.payloads("event")

    def transactions(self) -> list[dict]:
        return self.payloads("transaction")

    def raw(self) -> str:
        return "\n".join(envelope.raw.decode("utf-8", "replace") for envelope in self.envelopes())

    def streamed_spans(self) -> list[dict]:
        """Spans sent in their own items (v2 span format), e.g. generative-AI spans."""
        return [span for batch in self.payloads("span") for span in batch.get("items", [])]


def reset_sentry():
    """Back to the state of a server without APP_SENTRY_DSN: no client, nothing sent."""
    import sentry_sdk

    sentry_sdk.flush(timeout=5)
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    sentry_sdk.get_isolation_scope().clear()
    sentry_sdk.get_current_scope().clear()
