"""The project page's loader controls: create or regenerate the loader id, revoke it, set the
page origins. Each answers the loader panel for HTMX and redirects a plain form post."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projects import access
from projects.access import Action

from . import services
from .models import SentryIntegration

PANEL = "integrations/_delivery.html#loader-panel"


def _integration(request, slug, integration_id) -> SentryIntegration:
    integrations = SentryIntegration.objects.filter(project__slug=slug)
    principal = access.principal_for(request)
    return access.get_object(principal, integrations, Action.CHANGE, id=integration_id)


def _panel(request, integration, notice="", error="", status=200):
    if not request.htmx:
        messages.add_message(
            request, messages.ERROR if error else messages.SUCCESS, error or notice
        )
        return redirect("integrations:project", slug=integration.project.slug)
    context = {"project": integration.project, "integration": integration}
    return render(request, PANEL, {**context, "notice": notice, "error": error}, status=status)


@require_POST
def loader_issue(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    had_one = bool(integration.loader_id)
    services.issue_loader_id(integration)
    notice = "New loader id: the old <script> tag no longer works." if had_one else ""
    return _panel(request, integration, notice or "Loader created.")


@require_POST
def loader_revoke(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    services.revoke_loader(integration)
    return _panel(request, integration, "Loader revoked.")


@require_POST
def loader_origins(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    try:
        services.set_loader_origins(integration, request.POST.get("origins", ""))
    except ValidationError as error:
        return _panel(request, integration, error=error.messages[0], status=422)
    return _panel(request, integration, "Page origins saved.")
