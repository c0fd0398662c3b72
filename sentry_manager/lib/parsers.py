"""The API's JSON parser (DRF loads it from settings, so it imports no view)."""

from django.conf import settings
from rest_framework import exceptions, parsers

from . import json_input


def too_large_message(limit: int) -> str:
    return f"The request body is larger than the limit of {limit / 1048576:.1f} MB."


class BadJson(exceptions.ParseError):
    """A JSON body refused by json_input (too deep, a NUL, not UTF-8, not JSON)."""

    def __init__(self, error: json_input.JsonInputError):
        if error.code == "malformed_json":
            super().__init__(f"The request body is not valid JSON: {error.reason}")
        else:
            super().__init__(error.message)
        self.error_code = error.code
        self.field = error.field


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    error_code = "request_too_large"
    default_detail = "The request body is too large."


class JsonParser(parsers.JSONParser):
    """DRF's JSON parser with the limits of json_input (depth, NUL, Unicode) and a size limit
    that holds whether or not the body came with a Content-Length."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise PayloadTooLarge(too_large_message(limit))
        try:
            return json_input.loads(raw)
        except json_input.JsonInputError as error:
            raise BadJson(error) from None
