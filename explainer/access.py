"""Explanations a caller may see: those of the projects the access policy shows them."""

from django.core.exceptions import ValidationError
from django.http import Http404

from projects.access import visible_projects

from .models import Explanation


def visible_explanations(user):
    return Explanation.objects.filter(project__in=visible_projects(user))


def get_visible_explanation(user, explanation_id, **lookup) -> Explanation:
    try:
        return (
            visible_explanations(user)
            .select_related("project", "requested_by")
            .get(pk=explanation_id, **lookup)
        )
    except (Explanation.DoesNotExist, ValidationError, ValueError) as missing:
        raise Http404("No such explanation.") from missing
