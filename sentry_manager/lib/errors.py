"""One error shape for the JSON API: {"detail": "...", "code": "...", ["fields": {...}]}.

Views raise; this module turns what they raise into the body. `handler404`/`handler500`
give /api/ paths the same shape when Django itself answers.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from .parsers import too_large_message

logger = logging.getLogger(__name__)

DEFAULT_CODES = {
    exceptions.ParseError: "malformed_json",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def error_body(detail: str, code: str, **extra) -> dict:
    return {"detail": str(detail), "code": code, **extra}


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [f"{key}: {msg}" for key, value in messages.items() for msg in _flatten(value)]
    if isinstance(messages, list):
        return [msg for item in messages for msg in _flatten(item)]
    return [str(messages)]


def _validation_body(exc: exceptions.ValidationError) -> dict:
    detail = exc.detail
    if isinstance(detail, list):
        detail = {"non_field_errors": detail}
    fields = {}
    general = []
    for field, messages in detail.items():
        if field in ("non_field_errors", "__all__"):
            general.extend(_flatten(messages))
        else:
            fields[camel_case(field)] = _flatten(messages)
    code = getattr(exc, "error_code", None) or "invalid"
    if general:
        message = " ".join(general)
    else:
        names = ", ".join(fields)
        message = f"Invalid value for {names}." if len(fields) == 1 else f"Invalid values: {names}."
    body = error_body(message, code)
    if fields:
        body["fields"] = fields
    return body


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else "Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        # A refusal that names what is missing (the access policy's) keeps its words and code.
        refused = exceptions.PermissionDenied(str(exc) or None)
        refused.error_code = getattr(exc, "error_code", None)
        exc = refused

    response = exception_handler(exc, context)
    if response is None:
        return None  # unexpected error: handler500 answers and the error is logged
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        detail = exc.detail if isinstance(exc.detail, str) else " ".join(_flatten(exc.detail))
        code = getattr(exc, "error_code", None) or DEFAULT_CODES.get(type(exc))
        if code is None:
            code = exc.default_code if isinstance(exc.default_code, str) else "error"
        if isinstance(exc, exceptions.ParseError) and not getattr(exc, "error_code", None):
            detail = f"The request body is not valid JSON: {detail}"
        response.data = error_body(detail, code)
        field = getattr(exc, "field", "")  # the one field a refused body names
        if field:
            response.data["fields"] = {field: [detail]}
    set_rollback()
    return response


def is_api_path(request) -> bool:
    return request.path.startswith("/api/")


def handler404(request, exception=None):
    if is_api_path(request):
        return JsonResponse(error_body("Not found.", "not_found"), status=404)
    return render(request, "404.html", status=404)


def plain_error(request, status: int, code: str, detail: str, fields=None) -> HttpResponse:
    """JSON for /api/ paths, else a standalone page: it renders without the database, the
    session or the request's host, so it works when those are what failed."""
    if is_api_path(request):
        body = error_body(detail, code)
        if fields:
            body["fields"] = fields
        return JsonResponse(body, status=status)
    template = f"{status}.html" if status in (400, 413, 503) else "400.html"
    return HttpResponse(render_to_string(template, {"detail": detail}), status=status)


def handler400(request, exception=None):
    """What Django refuses before a view runs (SuspiciousOperation and its kin)."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return plain_error(request, 413, "request_too_large", too_large_message(limit))
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        detail = f"The request has too many fields (more than {limit}); send fewer."
        return plain_error(request, 400, "too_many_fields", detail)
    if isinstance(exception, DisallowedHost):
        detail = "This server does not answer to that host name (see ALLOWED_HOSTS)."
        return plain_error(request, 400, "disallowed_host", detail)
    return plain_error(request, 400, "bad_request", "The request is malformed.")


DATABASE_UNAVAILABLE = (
    "The database is not answering. Try again in a moment; the error has been logged."
)


class ApiNotFoundMiddleware:
    """A JSON 404 for unknown /api/ URLs in development too.

    With DEBUG on, Django answers a URL no route matches with its HTML debug page instead of
    calling handler404; a script calling the API should get the same JSON shape either way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and is_api_path(request)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return handler404(request)
        return response


def handler500(request):
    # Django calls this inside its `except` block: the exception is the one being handled.
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        return plain_error(request, 503, "database_unavailable", DATABASE_UNAVAILABLE)
    if is_api_path(request):
        body = error_body("Internal server error. The error has been logged.", "server_error")
        return JsonResponse(body, status=500)
    return render(request, "500.html", status=500)


def handler403(request, exception=None):
    # A refusal that names what is missing (the access policy's) is shown as it is.
    code = getattr(exception, "error_code", None)
    detail = str(exception) if code and str(exception) else "Permission denied."
    if is_api_path(request):
        return JsonResponse(error_body(detail, code or "permission_denied"), status=403)
    return render(request, "403.html", {"reason": detail if code else ""}, status=403)


def csrf_failure(request, reason=""):
    if is_api_path(request):
        body = error_body(
            f"CSRF check failed ({reason}). Send the X-CSRFToken header with session auth, "
            "or use an API key.",
            "csrf_failed",
        )
        return JsonResponse(body, status=403)
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
