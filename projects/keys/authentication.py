"""DRF authentication by API key, and the permission every API view runs: the access policy."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication

from .. import access
from . import usage
from .services import (
    ApiKeyError,
    authenticate_key,
    parse_authorization,
    record_failure,
    record_use,
    split_key,
)


def _prefix_of(header) -> str:
    try:
        return split_key(parse_authorization(header))[0]
    except ApiKeyError:
        return ""  # not a key at all: nothing to count it against


class ApiKeyFailed(exceptions.AuthenticationFailed):
    def __init__(self, error: ApiKeyError):
        super().__init__(error.message)
        self.error_code = error.code


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer smk_…`. Without the header, other authenticators get their turn."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION")
        if not header:
            return None
        try:
            plaintext = parse_authorization(header)
            api_key = authenticate_key(plaintext)
        except ApiKeyError as error:
            usage.count(_prefix_of(header), error.code, request.META.get("HTTP_ORIGIN", ""))
            throttled = record_failure(request)
            if throttled is not None:
                seconds, message = throttled
                raise exceptions.Throttled(wait=seconds, detail=message) from None
            raise ApiKeyFailed(error) from None
        usage.count(api_key.prefix, usage.OK, request.META.get("HTTP_ORIGIN", ""))
        record_use(api_key)
        # request.auth carries the key: access.principal_for() applies its restrictions.
        return api_key.owner, api_key

    def authenticate_header(self, request):
        return "Bearer"


class PolicyPermission(permissions.BasePermission):
    """Authenticated, and allowed the action the view declares for the request's method.

    Each API view lists `policy_actions = {"GET": access.Action.READ, ...}`; views then ask the
    policy again for the objects they touch (visibility → 404, the environment → 403).
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method == "OPTIONS":
            return True
        action = view.policy_action
        if action is None:
            raise exceptions.MethodNotAllowed(request.method)
        access.require(access.principal_for(request), action)
        return True


class ApiKeySchema(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "smk_<prefix>_<secret>",
            "description": "An API key from Settings → API keys.",
        }
