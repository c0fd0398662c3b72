"""The access policy: the one place that decides which projects a caller may see.

Every page, API view, admin queryset and task asks here. Objects outside the answer are
reported as missing (404), never as forbidden, so their existence does not leak.
"""

from django.core.exceptions import ValidationError
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
