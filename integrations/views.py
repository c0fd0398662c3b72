"""Integration pages. The project page itself is served from here so that it can list the
integrations while projects/ never imports integrations/."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import get_visible_project
from sentry_manager.lib.htmx import render_page_or_fragment

from . import services
from .access import get_visible_integration, visible_integrations
from .forms import IntegrationForm
from .models import DsnRevealEvent

TEMPLATE = "integrations/project_detail.html"
SECTION = "integration-section"


def _context(request, project, **extra):
    integrations = list(visible_integrations(request.user).filter(project=project))
    for integration in integrations:
        integration.token_status = services.auth_token_status(integration)
    return {"project": project, "integrations": integrations, **extra}


def _integration(request, slug, integration_id):
    return get_visible_integration(request.user, project__slug=slug, id=integration_id)


def _done(request, project, message):
    """After a change: the refreshed section for HTMX, a redirect for a plain form post."""
    messages.success(request, message)
    if not request.htmx:
        return redirect("projects:detail", slug=project.slug)
    return render(request, f"{TEMPLATE}#{SECTION}", _context(request, project))


def project_detail(request, slug):
    project = get_visible_project(request.user, slug=slug)
    return render(request, TEMPLATE, _context(request, project))


@require_http_methods(["GET", "POST"])
def integration_new(request, slug):
    project = get_visible_project(request.user, slug=slug)
    if request.method == "POST":
        form = IntegrationForm(request.POST, project=project)
        integration = form.save()
        if integration is not None:
            return _done(request, project, f"Integration “{integration.environment}” added.")
        status = 422
    else:
        form = IntegrationForm(project=project)
        status = 200
    form_url = reverse("integrations:new", args=[project.slug])
    context = _context(request, project, form=form, form_url=form_url)
    return render_page_or_fragment(request, TEMPLATE, SECTION, context, status)


@require_http_methods(["GET", "POST"])
def integration_edit(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    project = integration.project
    if request.method == "POST":
        form = IntegrationForm(request.POST, project=project, integration=integration)
        if form.save() is not None:
            return _done(request, project, f"Integration “{integration.environment}” saved.")
        status = 422
    else:
        form = IntegrationForm(project=project, integration=integration)
        status = 200
    form_url = reverse("integrations:edit", args=[project.slug, integration.id])
    context = _context(request, project, form=form, form_url=form_url, editing=integration)
    return render_page_or_fragment(request, TEMPLATE, SECTION, context, status)


@require_POST
def integration_set_active(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    active = request.POST.get("active") == "true"
    try:
        services.set_integration_active(integration, active)
    except services.IntegrationExists as exists:
        messages.error(request, str(exists))
        if not request.htmx:
            return redirect("projects:detail", slug=integration.project.slug)
        return render(request, f"{TEMPLATE}#{SECTION}", _context(request, integration.project))
    verb = "reactivated" if active else "deactivated"
    return _done(request, integration.project, f"Integration “{integration.environment}” {verb}.")


@require_http_methods(["GET", "POST"])
def integration_delete(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    project = integration.project
    if request.method == "POST":
        services.delete_integration(integration)
        return _done(request, project, f"Integration “{integration.environment}” deleted.")
    context = _context(request, project, confirm_delete=integration)
    return render_page_or_fragment(request, TEMPLATE, SECTION, context)


def _dsn_cell(request, integration, revealed):
    context = {"project": integration.project, "integration": integration, "revealed": revealed}
    return render(request, f"{TEMPLATE}#dsn-cell", context)


@require_POST
def dsn_reveal(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    services.reveal_dsn(request.user, integration, DsnRevealEvent.REVEAL)
    return _dsn_cell(request, integration, revealed=True)


@require_GET
def dsn_hide(request, slug, integration_id):
    return _dsn_cell(request, _integration(request, slug, integration_id), revealed=False)


@require_POST
def dsn_copy(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    dsn = services.reveal_dsn(request.user, integration, DsnRevealEvent.COPY)
    response = HttpResponse(dsn, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
