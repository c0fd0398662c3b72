from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from projects import access
from projects.access import Action
from projects.keys.authentication import ApiKeyAuthentication, ApiKeyFailed
from projects.keys.services import ApiKeyError, parse_authorization
from sentry_manager.lib.api import ApiView

from . import ci, services
from .config import ConfigError
from .models import SentryIntegration
from .serializers import (
    API_FIELD_NAMES,
    SentryIntegrationInputSerializer,
    SentryIntegrationSerializer,
)


class IntegrationConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "An active integration for this environment already exists."
    error_code = "integration_exists"


def _call(action, *args, **kwargs):
    """Run a service, translating its errors into API names and status codes."""
    try:
        return action(*args, **kwargs)
    except services.IntegrationExists as exists:
        # A script needs the id of the one to edit; a page names the environment only.
        raise IntegrationConflict(f"{exists} Its id: {exists.existing.id}.") from exists
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            renamed = {
                API_FIELD_NAMES.get(key, key): value for key, value in error.error_dict.items()
            }
            raise ValidationError(renamed) from error
        raise


def _validated(serializer) -> dict:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class IntegrationListApi(ApiView):
    pagination_class = PageNumberPagination  # the schema documents the page, not an array
    extra_error_codes = (409,)
    policy_actions = {"GET": Action.READ, "POST": Action.CHANGE}

    @extend_schema(
        responses=SentryIntegrationSerializer(many=True), operation_id="sentry_integrations_list"
    )
    def get(self, request, project_id):
        principal = access.principal_for(request)
        project = access.get_project(principal, Action.READ, id=project_id)
        integrations = access.visible(principal, project.sentry_integrations.all())
        return self.paginated(
            integrations, lambda page: SentryIntegrationSerializer(page, many=True).data
        )

    @extend_schema(
        request=SentryIntegrationInputSerializer, responses={201: SentryIntegrationSerializer}
    )
    def post(self, request, project_id):
        principal = access.principal_for(request)
        project = access.get_project(principal, Action.CHANGE, id=project_id)
        data = _validated(SentryIntegrationInputSerializer(data=request.data))
        access.require(principal, Action.CHANGE, data.get("environment"))
        integration = _call(services.create_integration, project=project, **data)
        return Response(
            SentryIntegrationSerializer(integration).data, status=status.HTTP_201_CREATED
        )


class IntegrationDetailApi(ApiView):
    extra_error_codes = (409,)
    policy_actions = {"GET": Action.READ, "PATCH": Action.CHANGE, "DELETE": Action.CHANGE}

    def _get(self, request, project_id, integration_id) -> SentryIntegration:
        principal = access.principal_for(request)
        integrations = SentryIntegration.objects.filter(project_id=project_id)
        return access.get_object(principal, integrations, self.policy_action, id=integration_id)

    @extend_schema(responses=SentryIntegrationSerializer)
    def get(self, request, project_id, integration_id):
        integration = self._get(request, project_id, integration_id)
        return Response(SentryIntegrationSerializer(integration).data)

    @extend_schema(request=SentryIntegrationInputSerializer, responses=SentryIntegrationSerializer)
    def patch(self, request, project_id, integration_id):
        integration = self._get(request, project_id, integration_id)
        data = _validated(SentryIntegrationInputSerializer(data=request.data, partial=True))
        # Moving it to another environment needs that environment too.
        access.require(access.principal_for(request), Action.CHANGE, data.get("environment"))
        integration = _call(services.update_integration, integration, **data)
        return Response(SentryIntegrationSerializer(integration).data)

    @extend_schema(responses={204: None})
    def delete(self, request, project_id, integration_id):
        services.delete_integration(self._get(request, project_id, integration_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- CI credentials: GET /api/integrations/sentry/<slug>/ci ------------------------------------


class CiError(APIException):
    """A ConfigError of the CI rules, in the one error shape."""

    def __init__(self, error: ConfigError):
        super().__init__(error.detail)
        self.status_code = error.status
        self.error_code = error.code


class DotenvRenderer(BaseRenderer):
    """`NAME=value` lines: chosen by `Accept: text/plain` or `?format=env`."""

    media_type = "text/plain"
    format = "env"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return ci.dotenv(data).encode()


class CiCredentialsSerializer(serializers.Serializer):
    SENTRY_AUTH_TOKEN = serializers.CharField(help_text="The integration's Sentry auth token.")
    SENTRY_ORG = serializers.CharField()
    SENTRY_PROJECT = serializers.CharField()
    SENTRY_URL = serializers.CharField(help_text="The integration's Sentry API URL.")


class CiCredentialsApi(ApiView):
    """What sentry-cli needs, for a key with the ci level (and nothing else may ask)."""

    # Only an API key: a signed-in browser is not a CI job.
    authentication_classes = [ApiKeyAuthentication]
    renderer_classes = [JSONRenderer, DotenvRenderer]
    policy_actions = {"GET": Action.CI_CREDENTIALS}

    def initial(self, request, *args, **kwargs):
        try:  # no header at all: the config endpoint's 401, not DRF's generic one
            parse_authorization(request.META.get("HTTP_AUTHORIZATION"))
        except ApiKeyError as error:
            raise ApiKeyFailed(error) from None
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="sentry_ci_credentials",
        parameters=[
            OpenApiParameter("environment", str, description="Default: the project's own."),
            OpenApiParameter("format", str, enum=["json", "env"], description="env: dotenv."),
        ],
        responses={
            200: OpenApiResponse(
                CiCredentialsSerializer,
                description="JSON, or dotenv lines with `Accept: text/plain` or `?format=env`. "
                "Never cached.",
            )
        },
        description="The Sentry auth token, org, project and API URL of an integration, for "
        "`sentry-cli` in a CI job. Only a key with the `ci` access level may call it.",
    )
    def get(self, request, slug):
        principal = access.principal_for(request)
        try:
            credentials = ci.ci_credentials(principal, slug, request.GET.get("environment"))
        except ConfigError as error:
            raise CiError(error) from None
        return Response(credentials.as_json())

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:  # errors keep the one JSON shape, whatever was asked
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response
