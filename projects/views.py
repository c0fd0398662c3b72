"""The project list, with the inline "New project" form."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from sentry_manager.lib.htmx import render_page_or_fragment

from . import access
from .access import Action
from .forms import ProjectForm

LIST_TEMPLATE = "projects/list.html"


def _projects_for_list(request):
    projects = access.visible_projects(access.principal_for(request))
    # The annotation drops Meta.ordering: say it again.
    return projects.annotate(integration_count=Count("sentry_integrations")).order_by(
        "name", "slug"
    )


@require_http_methods(["GET", "POST"])
def project_list(request):
    form = None
    status = 200
    if request.method == "POST":
        access.require(access.principal_for(request), Action.CREATE_PROJECT)
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
    context = {"projects": _projects_for_list(request), "form": form}
    return render_page_or_fragment(request, LIST_TEMPLATE, "project-section", context, status)
