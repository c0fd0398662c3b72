"""The access policy: the one place that decides which projects a caller may see.

Every page, API view, admin queryset and task asks here. Objects outside the answer are
reported as missing (404), never as forbidden, so their existence does not leak.
"""

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404

from .models import Project


def visible_projects(user):
    """The projects `user` may see: the ones they own, narrowed by the API key in use.

    A request authenticated with an API key carries it as `user.api_key` (set by
    projects.authentication), so a key restricted to one project sees only that one.
    """
    if user is None or not user.is_authenticated:
        return Project.objects.none()
    projects = Project.objects.filter(owner=user)
    api_key = getattr(user, "api_key", None)
    if api_key is not None and api_key.project_id is not None:
        projects = projects.filter(id=api_key.project_id)
    return projects


def get_visible_project(user, **lookup) -> Project:
    """One project `user` may see, or Http404 (a malformed id is missing too)."""
    try:
        return visible_projects(user).get(**lookup)
    except (Project.DoesNotExist, ValidationError, ValueError) as missing:
        raise Http404("No such project.") from missing


# The same rule as visible_projects for a request made with an API key, written as a relation
# from ApiKey, so that one query can fetch a key together with the project it may see.
KEY_PROJECTS_RELATION = "owner__projects"


def key_visible_projects_condition() -> Q:
    """Projects of the key's owner; only the key's project when it is restricted to one."""
    return Q(project__isnull=True) | Q(owner__projects__id=F("project_id"))
