"""The OpenAPI schema tells the truth: operations tagged by area, and every error an operation
can answer documented with the one error shape (see errors.py).

`ApiAutoSchema` is drf-spectacular's AutoSchema plus those two things; settings name it as
DRF's schema class. Apps add what only they know through `extra_error_codes` on a view
(e.g. the Sentry-reading views' 502/504) and hooks (the config endpoint, a plain view).
"""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

# /api/<first segment> → the tag of its area; under /api/projects/{id}/, the next segment's.
TAGS = {
    "keys": "keys",
    "webhooks": "webhooks",
    "integrations": "config",
    "explanations": "explainer",
    "sentry": "integrations",
    "sentry-issues": "explainer",
    "events": "explainer",
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input (the fields are named), a NUL character, JSON nested more than 64 "
    "levels, too many fields or a host the server does not serve.",
    "401": "No credentials, or an API key that is missing, malformed, unknown, revoked or expired.",
    "403": "Visible, but the caller's key may not do this (the message says what it lacks).",
    "404": "Not found, or not visible to the caller.",
    "409": "Conflicts with the current state (the message says which).",
    "413": "The request body is larger than the limit.",
    "429": "Too many failed API key authentications from this address, or too many requests.",
    "502": "Sentry answered with an error or with something that is not what it documents.",
    "503": "The database is not answering, or Sentry is rate-limiting: retry later.",
    "504": "Sentry did not answer in time.",
}
COMMON_ERROR_CODES = ("400", "401", "403", "404", "413", "429", "503")
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before trying again.",
    }
}
WWW_AUTHENTICATE = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}}


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    detail = serializers.CharField(help_text="What went wrong, and what to do about it.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. not_found.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per field (camelCase), what is wrong with it.",
    )

    class Meta:
        ref_name = "Error"


def tag_for(path: str) -> str:
    segments = path.strip("/").split("/")  # ["api", "projects", "{project_id}", "sentry", ...]
    if segments[1:2] == ["projects"]:
        return TAGS.get(segments[3], "projects") if len(segments) > 3 else "projects"
    return TAGS.get(segments[1], "projects") if len(segments) > 1 else "projects"


def paginated(item_schema: dict) -> dict:
    """A page of PageNumberPagination, for responses built without a serializer."""
    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": {"type": "array", "items": item_schema},
        },
    }


class ApiAutoSchema(AutoSchema):
    def get_tags(self):
        return [tag_for(self.path)]

    def _error_codes(self) -> list[str]:
        codes = list(COMMON_ERROR_CODES)
        codes += [str(code) for code in getattr(self.view, "extra_error_codes", ())]
        return sorted(set(codes))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            response["description"] = ERROR_DESCRIPTIONS[code]
            if code == "429":
                response["headers"] = RETRY_AFTER
            elif code == "401":
                response["headers"] = WWW_AUTHENTICATE
            responses[code] = response
        return responses


NO_NUL = "^[^\u0000]*$"


def _forbid_nul(schema: dict) -> None:
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"pattern", "format", "enum"} & set(schema):
        schema["pattern"] = NO_NUL
    for key in ("properties",):
        for child in (schema.get(key) or {}).values():
            _forbid_nul(child)
    for key in ("items", "additionalProperties"):
        _forbid_nul(schema.get(key))


def forbid_nul_in_input(result, generator, request, public):
    """drf-spectacular postprocessing hook: every free-text input (request bodies, query and
    path parameters) refuses NUL characters, as the API does; the schema says so."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _forbid_nul(component)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _forbid_nul(parameter.get("schema"))
    return result


class InputSerializerSchema(OpenApiSerializerExtension):
    """Input serializers refuse fields they do not know (and ignore a few read-only ones
    that GET answers carry): the schema says `additionalProperties: false`."""

    target_class = "sentry_manager.lib.api.InputSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        for name in getattr(self.target, "ignored_fields", ()):
            schema["properties"].setdefault(
                name, {"readOnly": True, "description": "Read-only: ignored if sent."}
            )
        return schema
