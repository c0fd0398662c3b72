"""The config endpoint in the OpenAPI schema. It is a plain Django view (the hot path), so
drf-spectacular cannot see it: this postprocessing hook documents it as it behaves — the
request, its parameters, the 200 body (config.SentryConfig.as_json), ETag / If-None-Match /
304, and each error in the API's one shape."""

from sentry_manager.lib.schema import ERROR_DESCRIPTIONS, RETRY_AFTER, WWW_AUTHENTICATE

PATH = "/api/integrations/sentry/{slug}"
SAMPLE_RATE = {"type": "number", "format": "double", "minimum": 0, "maximum": 1}
SENTRY_CONFIG = {
    "type": "object",
    "required": ["dsn", "environment", "org", "project", "config"],
    "properties": {
        "dsn": {"type": "string", "example": "https://abc@o1.ingest.sentry.io/2"},
        "environment": {"type": "string", "example": "production"},
        "org": {"type": "string", "example": "your-org"},
        "project": {"type": "string", "example": "your-project"},
        "config": {
            "type": "object",
            "required": [
                "tracesSampleRate",
                "replaysSessionSampleRate",
                "replaysOnErrorSampleRate",
            ],
            "properties": {
                "tracesSampleRate": SAMPLE_RATE,
                "replaysSessionSampleRate": SAMPLE_RATE,
                "replaysOnErrorSampleRate": SAMPLE_RATE,
            },
        },
    },
}
ERRORS = {
    "400": "An invalid environment name (code invalid_environment), a NUL character, too "
    "many fields.",
    "401": ERROR_DESCRIPTIONS["401"],
    "403": "The key is restricted to another environment (insufficient_key_scope).",
    "404": "No project with that slug is visible to the key (project_not_found), it is "
    "deactivated (project_inactive), or no active integration for the environment "
    "(integration_not_found, naming the active ones).",
    "405": "Only GET, HEAD and OPTIONS.",
    "413": ERROR_DESCRIPTIONS["413"],
    "429": "The key's requests a minute (CONFIG_ENDPOINT_RATE_PER_MINUTE), or too many failed "
    "keys from this address.",
    "503": ERROR_DESCRIPTIONS["503"],
}


def _error(code: str) -> dict:
    response = {
        "description": ERRORS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if code == "429":
        response["headers"] = RETRY_AFTER
    elif code == "401":
        response["headers"] = WWW_AUTHENTICATE
    elif code == "405":
        response["headers"] = {"Allow": {"schema": {"type": "string"}}}
    return response


def operation() -> dict:
    return {
        "operationId": "sentry_config",
        "summary": "The Sentry config of a project, for an application",
        "description": "Send an API key (any level; a key restricted to a project or an "
        "environment answers only for those). Cache the answer and revalidate with "
        "If-None-Match: an unchanged config answers 304 without a body.",
        "tags": ["config"],
        "security": [{"ApiKey": []}],
        "parameters": [
            {
                "name": "slug",
                "in": "path",
                "required": True,
                "schema": {"type": "string"},
                "description": "The project's slug, e.g. my-app.",
            },
            {
                "name": "environment",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "pattern": "^[a-z0-9_.-]{1,64}$"},
                "description": "Default: the project's environment.",
            },
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "The ETag of a config you hold.",
            },
        ],
        "responses": {
            "200": {
                "description": "The DSN and SDK options.",
                "headers": {
                    "ETag": {"schema": {"type": "string"}},
                    "Cache-Control": {"schema": {"type": "string"}},
                },
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/SentryConfig"}}
                },
            },
            "304": {
                "description": "Unchanged since the ETag sent in If-None-Match.",
                "headers": {"ETag": {"schema": {"type": "string"}}},
            },
            **{code: _error(code) for code in ERRORS},
        },
    }


def document_config_endpoint(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("paths", {})[PATH] = {"get": operation()}
    result["paths"] = dict(sorted(result["paths"].items()))
    result.setdefault("components", {}).setdefault("schemas", {})["SentryConfig"] = SENTRY_CONFIG
    return result
