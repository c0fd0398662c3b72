"""The project page and its integrations: the page, editing the project, integration forms,
DSN reveal/hide/copy. The page lists integrations, so it lives here: projects/ never imports
integrations/ (the projects app has the project list)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects import access
from projects import services as project_services
from projects.access import Action
from projects.forms import ProjectForm, TypedConfirmationForm
from sentry_manager.lib.htmx import redirect_to, render_page_or_fragment

from . import services, snippets
from .forms import IntegrationForm
from .models import DsnRevealEvent, SentryIntegration

TEMPLATE = "integrations/project_detail.html"
SECTION = "integration-section"
PROJECT_CARD = "project-card"
USE_CONFIG = "use-config"


def _context(request, project, environment=None, **extra):
    principal = access.principal_for(request)
    integrations = list(access.visible(principal, project.sentry_integrations.all()))
    for integration in integrations:
        integration.token_status = services.auth_token_status(integration)
    webhook = reverse("api-sentry-webhook", args=[project.id])
    return {
        "project": project,
        "integrations": integrations,
        "serving": [item.environment for item in integrations if item.is_active],
        "webhook_url": request.build_absolute_uri(webhook),
        **_use_config(request, project, integrations, environment),
        **extra,
    }


def _use_config(request, project, integrations, requested) -> dict:
    """The "Use this config" panel: snippets for one environment the project serves."""
    environments = sorted({item.environment for item in integrations if item.is_active})
    if not environments:
        return {"config_environments": []}
    environment = requested if requested in environments else None
    if environment is None:
        default = project.environment
        environment = default if default in environments else environments[0]
    endpoint = request.build_absolute_uri(reverse("sentry-config", args=[project.slug]))
    new_key = {"new": 1, "project": project.id, "environment": environment}
    return {
        "config_environments": environments,
        "config_environment": environment,
        "config_url": snippets.config_url(endpoint, environment),
        "snippets": snippets.snippets(endpoint, environment),
        "new_key_url": f"{reverse('api-keys:list')}?{urlencode(new_key)}",
    }


def _project(request, slug, action=Action.READ):
    return access.get_project(access.principal_for(request), action, slug=slug)


def _integration(request, slug, integration_id, action=Action.CHANGE):
    integrations = SentryIntegration.objects.filter(project__slug=slug)
    return access.get_object(access.principal_for(request), integrations, action, id=integration_id)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _done(request, project, message):
    """After a change: the refreshed section for HTMX, a redirect for a plain form post."""
    messages.success(request, message)
    if not request.htmx:
        return redirect("integrations:project", slug=project.slug)
    return render(request, f"{TEMPLATE}#{SECTION}", _context(request, project))


# --- The project ------------------------------------------------------------------------------


def project_detail(request, slug):
    return render(request, TEMPLATE, _context(request, _project(request, slug)))


@require_http_methods(["GET", "POST"])
def project_edit(request, slug):
    project = _project(request, slug, Action.CHANGE_PROJECT)
    status = 200
    if request.method == "POST":
        form = ProjectForm(request.POST, project=project)
        old_slug = project.slug
        if form.save(owner=request.user) is not None:
            messages.success(request, "Project saved.")
            if project.slug != old_slug or not request.htmx:
                return redirect_to(request, reverse("integrations:project", args=[project.slug]))
            form = None
        else:
            status = 422
    else:
        form = ProjectForm(project=project)
    context = _context(request, project, project_form=form)
    return render_page_or_fragment(request, TEMPLATE, PROJECT_CARD, context, status)


@require_http_methods(["GET", "POST"])
def project_set_active(request, slug):
    project = _project(request, slug, Action.CHANGE_PROJECT)
    if request.method == "GET":  # deactivating breaks applications: say how, then ask
        context = _context(request, project, confirm_deactivate_project=True)
        return render_page_or_fragment(request, TEMPLATE, PROJECT_CARD, context)
    active = request.POST.get("active") == "true"
    project_services.set_project_active(project, active)
    messages.success(request, "Project reactivated." if active else "Project deactivated.")
    if not request.htmx:
        return redirect("integrations:project", slug=project.slug)
    # The integrations and the config panel below say whether they serve: refresh them too.
    context = _context(request, project, refresh_sections=True)
    return render(request, f"{TEMPLATE}#{PROJECT_CARD}", context)


@require_http_methods(["GET", "POST"])
def project_delete(request, slug):
    project = _project(request, slug, Action.DELETE_PROJECT)
    form = TypedConfirmationForm(_posted(request), expected=project.slug, what="slug")
    if request.method == "POST" and form.is_valid():
        project_services.delete_project(project)
        messages.success(request, f"Project “{project.name}” deleted.")
        return redirect_to(request, reverse("projects:list"))
    context = _context(request, project, delete_project_form=form)
    status = 422 if form.is_bound else 200
    return render_page_or_fragment(request, TEMPLATE, PROJECT_CARD, context, status)


# --- Its integrations -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def integration_new(request, slug):
    project = _project(request, slug, Action.CHANGE)
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


@require_http_methods(["GET", "POST"])
def integration_set_active(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    if request.method == "GET":  # deactivating breaks applications: say how, then ask
        context = _context(request, integration.project, confirm_deactivate=integration)
        return render_page_or_fragment(request, TEMPLATE, SECTION, context)
    active = request.POST.get("active") == "true"
    try:
        services.set_integration_active(integration, active)
    except services.IntegrationExists as exists:
        messages.error(request, str(exists))
        if not request.htmx:
            return redirect("integrations:project", slug=integration.project.slug)
        return render(request, f"{TEMPLATE}#{SECTION}", _context(request, integration.project))
    verb = "reactivated" if active else "deactivated"
    return _done(request, integration.project, f"Integration “{integration.environment}” {verb}.")


@require_http_methods(["GET", "POST"])
def integration_delete(request, slug, integration_id):
    integration = _integration(request, slug, integration_id)
    project = integration.project
    expected = integration.environment
    form = TypedConfirmationForm(_posted(request), expected=expected, what="environment")
    if request.method == "POST" and form.is_valid():
        services.delete_integration(integration)
        return _done(request, project, f"Integration “{integration.environment}” deleted.")
    context = _context(request, project, confirm_delete=integration, delete_form=form)
    status = 422 if form.is_bound else 200
    return render_page_or_fragment(request, TEMPLATE, SECTION, context, status)


@require_GET
def use_config(request, slug):
    """The "Use this config" panel for the environment asked for (?environment=)."""
    project = _project(request, slug)
    environment = request.GET.get("environment")
    context = _context(request, project, environment=environment, focus_environment=True)
    return render_page_or_fragment(request, TEMPLATE, USE_CONFIG, context)


def _dsn_cell(request, integration, revealed):
    context = {
        "project": integration.project,
        "integration": integration,
        "revealed": revealed,
        "focus_toggle": True,  # the Show/Hide button that replaced the one pressed
    }
    return render(request, f"{TEMPLATE}#dsn-cell", context)


@require_POST
def dsn_reveal(request, slug, integration_id):
    integration = _integration(request, slug, integration_id, Action.READ)
    services.reveal_dsn(request.user, integration, DsnRevealEvent.REVEAL)
    return _dsn_cell(request, integration, revealed=True)


@require_GET
def dsn_hide(request, slug, integration_id):
    integration = _integration(request, slug, integration_id, Action.READ)
    return _dsn_cell(request, integration, revealed=False)


@require_POST
def dsn_copy(request, slug, integration_id):
    integration = _integration(request, slug, integration_id, Action.READ)
    dsn = services.reveal_dsn(request.user, integration, DsnRevealEvent.COPY)
    response = HttpResponse(dsn, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
