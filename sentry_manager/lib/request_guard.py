"""Refuse, before any view runs, requests that no view could handle well.

- a NUL character in the URL path or a query parameter (PostgreSQL cannot compare with one:
  it was a 500) → 400 naming the parameter;
- a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE → 413, from its Content-Length;
- a chunked body (no Content-Length): Django would read it as empty. When the server has
  already de-chunked it (gunicorn says so with `wsgi.input_terminated`) it is read here, up to
  the limit; otherwise it is refused with 411.

Answers have the API's JSON shape on /api/ paths and are plain pages elsewhere. The checks
are string tests on what the request already holds: no query, no cache operation.
"""

import io
from urllib.parse import unquote

from django.conf import settings

from .errors import plain_error
from .parsers import too_large_message


def _nul_parameter(query_string: str) -> str | None:
    """The name of the first query parameter holding a NUL, or None."""
    if "%00" not in query_string and "\x00" not in query_string:
        return None
    for part in query_string.split("&"):
        name, _, value = part.partition("=")
        if "%00" in value or "\x00" in value or "%00" in name or "\x00" in name:
            return unquote(name).replace("\x00", "\\u0000")[:100] or "(unnamed)"
    return None


def _refusal(request):
    if "\x00" in request.path:
        return 400, "nul_character", "The URL path contains a NUL character (%00).", None
    name = _nul_parameter(request.META.get("QUERY_STRING", ""))
    if name is not None:
        detail = f"The query parameter '{name}' contains a NUL character (%00)."
        return 400, "nul_character", detail, {name: [detail]}
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400, "bad_request", "The Content-Length header is not a number.", None
    if length > limit:
        return 413, "request_too_large", too_large_message(limit), None
    if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and not length:
        return _read_chunked(request, limit)
    return None


def _read_chunked(request, limit):
    environ = request.environ
    if not environ.get("wsgi.input_terminated"):
        detail = (
            "Send the body with a Content-Length header; this server cannot read a chunked one."
        )
        return 411, "length_required", detail, None
    body = environ["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        return 413, "request_too_large", too_large_message(limit), None
    # From here on Django (and DRF) read the body as if it had come with its length.
    request.META["CONTENT_LENGTH"] = str(len(body))
    request._stream = io.BytesIO(body)
    return None


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = _refusal(request)
        if refusal is not None:
            status, code, detail, fields = refusal
            return plain_error(request, status, code, detail, fields)
        return self.get_response(request)
