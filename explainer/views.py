from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from projects.access import get_visible_project
from sentry_manager.lib.htmx import redirect_to, render_page_or_fragment

from . import event_import, sentry_reading
from .forms import ImportEventForm
from .models import ImportedEvent
from .sentry_api import SentryApiError

ISSUES_TEMPLATE = "explainer/issues.html"
ISSUE_TEMPLATE = "explainer/issue_detail.html"
IMPORT_TEMPLATE = "explainer/import.html"
IMPORTED_TEMPLATE = "explainer/imported_event.html"


def _query(request) -> str:
    query = request.GET.get("query")
    return "is:unresolved" if query is None else query.strip()[:500]


def issue_list(request, slug):
    project = get_visible_project(request.user, slug=slug)
    environment = sentry_reading.pick_environment(project, request.GET.get("environment"))
    cursor = request.GET.get("cursor") or None
    context = {
        "project": project,
        "environment": environment,
        "environments": sentry_reading.integration_environments(project),
        "query": _query(request),
        "cursor": cursor,
    }
    try:
        page = sentry_reading.list_issues(
            project, environment, query=context["query"], cursor=cursor
        )
        context.update(issues=page.results, next_cursor=page.next_cursor)
    except SentryApiError as error:
        context["error"] = error
    fragment = "issue-rows" if cursor and "error" not in context else "issue-section"
    return render_page_or_fragment(request, ISSUES_TEMPLATE, fragment, context)


def issue_detail(request, slug, issue_id):
    project = get_visible_project(request.user, slug=slug)
    environment = sentry_reading.pick_environment(project, request.GET.get("environment"))
    context = {"project": project, "environment": environment, "issue_id": issue_id}
    status = 200
    try:
        context["issue"], context["event"] = sentry_reading.issue_with_latest_event(
            project, environment, issue_id
        )
    except SentryApiError as error:
        context["error"] = error
        status = 404 if error.status_code == 404 else 200
    return render(request, ISSUE_TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def import_event(request, slug):
    project = get_visible_project(request.user, slug=slug)
    status = 200
    if request.method == "POST":
        form = ImportEventForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                imported = event_import.import_event(
                    project,
                    form.cleaned_data["body"],
                    user=request.user,
                    source=form.cleaned_data["source"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = reverse("explainer:imported-event", args=[project.slug, imported.pk])
                return redirect_to(request, url)
        status = 422
    else:
        form = ImportEventForm()
    context = {
        "project": project,
        "form": form,
        "imports": project.imported_events.only("id", "title", "event_id", "created_at")[:20],
        "max_mb": settings.EVENT_IMPORT_MAX_BYTES // 1048576,
    }
    return render_page_or_fragment(request, IMPORT_TEMPLATE, "import-form", context, status)


def imported_event(request, slug, event_pk):
    project = get_visible_project(request.user, slug=slug)
    try:
        imported = project.imported_events.get(pk=event_pk)
    except ImportedEvent.DoesNotExist as missing:
        raise Http404("No such imported event.") from missing
    context = {
        "project": project,
        "imported": imported,
        "event": event_import.normalized(imported),
    }
    return render(request, IMPORTED_TEMPLATE, context)
