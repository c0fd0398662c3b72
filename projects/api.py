"""JSON API: GET/POST /api/projects, GET/PATCH/DELETE /api/projects/<projectId>."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from sentry_manager.lib.api import ApiView

from . import access, services
from .access import Action
from .serializers import ProjectCreateSerializer, ProjectInputSerializer, ProjectSerializer


class ProjectListApi(ApiView):
    pagination_class = PageNumberPagination  # the schema documents the page, not an array
    extra_error_codes = (409,)
    policy_actions = {"GET": Action.READ, "POST": Action.CREATE_PROJECT}

    @extend_schema(responses=ProjectSerializer(many=True), operation_id="projects_list")
    def get(self, request):
        projects = access.visible_projects(access.principal_for(request))
        return self.paginated(projects, lambda page: ProjectSerializer(page, many=True).data)

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def post(self, request):
        data = _validated(ProjectCreateSerializer(data=request.data))
        is_active = data.pop("is_active", True)
        principal = access.principal_for(request)
        team = access.team_for(
            principal, Action.CREATE_PROJECT, data.pop("team_id", None), default=request.team
        )
        project = _saved(services.create_project, owner=request.user, team=team, **data)
        if not is_active:
            services.set_project_active(project, False)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailApi(ApiView):
    extra_error_codes = (409,)
    policy_actions = {
        "GET": Action.READ,
        "PATCH": Action.CHANGE_PROJECT,
        "DELETE": Action.DELETE_PROJECT,
    }

    def _project(self, request, project_id):
        principal = access.principal_for(request)
        return access.get_project(principal, self.policy_action, id=project_id)

    @extend_schema(responses=ProjectSerializer)
    def get(self, request, project_id):
        return Response(ProjectSerializer(self._project(request, project_id)).data)

    @extend_schema(request=ProjectInputSerializer, responses=ProjectSerializer)
    def patch(self, request, project_id):
        project = self._project(request, project_id)
        data = _validated(ProjectInputSerializer(data=request.data, partial=True))
        project = _saved(services.update_project, project, **data)
        return Response(ProjectSerializer(project).data)

    @extend_schema(responses={204: None})
    def delete(self, request, project_id):
        services.delete_project(self._project(request, project_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SlugTaken(APIException):
    status_code = status.HTTP_409_CONFLICT
    error_code = "slug_taken"


def _saved(action, *args, **kwargs):
    """Run a service; a slug another project has is a conflict with it (409), not bad input."""
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        slug_errors = getattr(error, "error_dict", {}).get("slug", [])
        if any("already taken" in message for e in slug_errors for message in e.messages):
            raise SlugTaken("The slug is already taken by another project.") from error
        raise


def _validated(serializer) -> dict:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
