"""Which integrations a caller may see: those of the projects projects.access lets them see."""

from django.core.exceptions import ValidationError
from django.http import Http404

from projects.access import visible_projects

from .models import SentryIntegration


def visible_integrations(user):
    integrations = SentryIntegration.objects.filter(
        project__in=visible_projects(user)
    ).select_related("project")
    # An API key restricted to one environment sees only that environment's integration.
    api_key = getattr(user, "api_key", None)
    if api_key is not None and api_key.environment:
        integrations = integrations.filter(environment=api_key.environment)
    return integrations


def get_visible_integration(user, **lookup) -> SentryIntegration:
    """One integration `user` may see, or Http404 (a malformed id is missing too)."""
    try:
        return visible_integrations(user).get(**lookup)
    except (SentryIntegration.DoesNotExist, ValidationError, ValueError) as missing:
        raise Http404("No such integration.") from missing
