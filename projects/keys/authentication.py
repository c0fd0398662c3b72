"""DRF authentication and permissions for API keys."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication

from .services import ApiKeyError, authenticate_key, parse_authorization, record_use


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
            api_key = authenticate_key(parse_authorization(header))
        except ApiKeyError as error:
            raise ApiKeyFailed(error) from None
        record_use(api_key)
        user = api_key.owner
        user.api_key = api_key  # read by projects.access to apply the key's restrictions
        return user, api_key

    def authenticate_header(self, request):
        return "Bearer"


class ReadOnlyKeyError(exceptions.PermissionDenied):
    error_code = "read_only_api_key"
    default_detail = (
        "This API key is read-only. Use a read-write key, or log in, to change anything."
    )


class ApiKeyAccess(permissions.BasePermission):
    """Authenticated, and a read-only key may only read."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        api_key = getattr(request.user, "api_key", None)
        if (
            api_key is not None
            and api_key.is_read_only
            and request.method not in permissions.SAFE_METHODS
        ):
            raise ReadOnlyKeyError()
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
