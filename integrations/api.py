from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from projects import access
from projects.access import Action
from sentry_manager.lib.api import ApiView

from . import services
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
        raise IntegrationConflict(str(exists)) from exists
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
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(integrations, request, view=self)
        return paginator.get_paginated_response(SentryIntegrationSerializer(page, many=True).data)

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
