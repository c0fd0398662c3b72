from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sentry_manager.lib.htmx import redirect_to, render_page_or_fragment

from . import services
from .access import get_visible_project, visible_projects
from .forms import ProjectForm

LIST_TEMPLATE = "projects/list.html"
DETAIL_TEMPLATE = "projects/detail.html"


def _projects_for_list(user):
    return visible_projects(user).annotate(integration_count=Count("sentry_integrations"))


def _redirect(request, url):
    """HTMX follows a client redirect; a plain form post follows a normal one."""
    return redirect_to(request, url)


@require_http_methods(["GET", "POST"])
def project_list(request):
    form = None
    status = 200
    if request.method == "POST":
        form = ProjectForm(request.POST)
        project = form.save(owner=request.user)
        if project is not None:
            messages.success(request, f"Project “{project.name}” created.")
            if not request.htmx:
                return redirect("projects:list")
            form = None
        else:
            status = 422
    elif "new" in request.GET:
        form = ProjectForm()
    context = {"projects": _projects_for_list(request.user), "form": form}
    return render_page_or_fragment(request, LIST_TEMPLATE, "project-section", context, status)


def project_detail(request, slug):
    project = get_visible_project(request.user, slug=slug)
    return render(request, DETAIL_TEMPLATE, {"project": project})


@require_http_methods(["GET", "POST"])
def project_edit(request, slug):
    project = get_visible_project(request.user, slug=slug)
    status = 200
    if request.method == "POST":
        form = ProjectForm(request.POST, project=project)
        old_slug = project.slug
        if form.save(owner=request.user) is not None:
            messages.success(request, "Project saved.")
            if project.slug != old_slug or not request.htmx:
                return _redirect(request, reverse("projects:detail", args=[project.slug]))
            form = None
        else:
            status = 422
    else:
        form = ProjectForm(project=project)
    context = {"project": project, "form": form}
    return render_page_or_fragment(request, DETAIL_TEMPLATE, "project-card", context, status)


@require_POST
def project_set_active(request, slug):
    project = get_visible_project(request.user, slug=slug)
    active = request.POST.get("active") == "true"
    services.set_project_active(project, active)
    messages.success(request, "Project reactivated." if active else "Project deactivated.")
    if not request.htmx:
        return redirect("projects:detail", slug=project.slug)
    return render(request, f"{DETAIL_TEMPLATE}#project-card", {"project": project})


@require_http_methods(["GET", "POST"])
def project_delete(request, slug):
    project = get_visible_project(request.user, slug=slug)
    if request.method == "POST":
        services.delete_project(project)
        messages.success(request, f"Project “{project.name}” deleted.")
        return _redirect(request, reverse("projects:list"))
    context = {"project": project, "confirm_delete": True}
    return render_page_or_fragment(request, DETAIL_TEMPLATE, "project-card", context)
