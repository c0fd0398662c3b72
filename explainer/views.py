"""Explainer pages: Sentry issues, event import, and explanations (Explain, list, one, Retry,
the Markdown download)."""

import contextlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from projects import access
from projects.access import Action
from sentry_manager.lib.htmx import redirect_to, render_page_or_fragment

from . import event_import, explanations, runs, sentry_reading
from .events import iso_time, link_locations
from .forms import ImportEventForm
from .markdown_render import render_markdown
from .models import Explanation, ImportedEvent
from .sentry_api import SentryApiError

ISSUES_TEMPLATE = "explainer/issues.html"
ISSUE_TEMPLATE = "explainer/issue_detail.html"
IMPORT_TEMPLATE = "explainer/import.html"
IMPORTED_TEMPLATE = "explainer/imported_event.html"


def _project(request, slug, action=Action.READ):
    return access.get_project(access.principal_for(request), action, slug=slug)


def _environment(request, project, requested: str | None, action=Action.READ_ISSUES) -> str:
    principal = access.principal_for(request)
    try:
        return sentry_reading.environment_for(principal, project, requested or None, action)
    except ValidationError as error:
        raise BadRequest(" ".join(error.messages)) from error


def _imported(request, slug, event_pk, action=Action.READ) -> ImportedEvent:
    events = ImportedEvent.objects.filter(project__slug=slug)
    return access.get_object(access.principal_for(request), events, action, pk=event_pk)


def _query(request) -> str:
    query = request.GET.get("query")
    return "is:unresolved" if query is None else query.strip()[:500]


def issue_list(request, slug):
    project = _project(request, slug)
    environment = _environment(request, project, request.GET.get("environment"))
    cursor = request.GET.get("cursor") or None
    context = {
        "project": project,
        "environment": environment,
        "environments": sentry_reading.environments(access.principal_for(request), project),
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
    project = _project(request, slug)
    environment = _environment(request, project, request.GET.get("environment"))
    context = {"project": project, "environment": environment, "issue_id": issue_id}
    status = 200
    try:
        context["issue"], context["event"] = sentry_reading.issue_with_latest_event(
            project, environment, issue_id
        )
        context["facts"] = sentry_reading.issue_facts(
            project, environment, context["issue"], context["event"]["eventId"]
        )
    except SentryApiError as error:
        context["error"] = error
        status = 404 if error.status_code == 404 else 200
    return render(request, ISSUE_TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def import_event(request, slug):
    project = _project(request, slug)
    status = 200
    if request.method == "POST":
        form = ImportEventForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                imported, created = event_import.import_or_find_event(
                    access.principal_for(request),
                    project,
                    form.cleaned_data["body"],
                    source=form.cleaned_data["source"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if not created:
                    when = iso_time(imported.created_at.isoformat())
                    messages.info(request, f"This event was imported before ({when}); here it is.")
                url = reverse("explainer:imported-event", args=[project.slug, imported.pk])
                return redirect_to(request, url)
        status = 422
    else:
        form = ImportEventForm()
    context = {
        "project": project,
        "form": form,
        "imports": access.visible(
            access.principal_for(request), project.imported_events.all()
        ).only("id", "title", "event_id", "created_at")[:20],
        "max_mb": settings.EVENT_IMPORT_MAX_BYTES // 1048576,
    }
    return render_page_or_fragment(request, IMPORT_TEMPLATE, "import-form", context, status)


def imported_event(request, slug, event_pk):
    imported = _imported(request, slug, event_pk)
    context = {
        "project": imported.project,
        "imported": imported,
        "event": event_import.normalized(imported),
    }
    return render(request, IMPORTED_TEMPLATE, context)


# --- Explanations ---------------------------------------------------------------------------

LIST_TEMPLATE = "explainer/explanations.html"
DETAIL_TEMPLATE = "explainer/explanation.html"
POLL_SECONDS = 1


def _go(request, explanation):
    url = reverse("explainer:explanation", args=[explanation.project.slug, explanation.pk])
    return redirect_to(request, url)


@require_POST
def explain_issue(request, slug, issue_id):
    project = _project(request, slug)
    environment = _environment(request, project, request.POST.get("environment"), Action.EXPLAIN)
    try:
        explanation, _ = explanations.explain_issue(
            access.principal_for(request), project, issue_id, environment=environment
        )
    except SentryApiError as error:
        return render(
            request, "explainer/explain_error.html", {"project": project, "error": error}, 422
        )
    return _go(request, explanation)


@require_POST
def explain_imported_event(request, slug, event_pk):
    imported = _imported(request, slug, event_pk, Action.EXPLAIN)
    explanation, _ = explanations.explain_imported_event(
        access.principal_for(request), imported.project, imported
    )
    return _go(request, explanation)


def explanation_list(request, slug):
    project = _project(request, slug)
    runs.sweep(project.explanations.all())
    items = (
        access.visible(access.principal_for(request), project.explanations.all())
        .select_related("requested_by")
        .defer("context_sent", "event", "specification", "evidence")[:100]
    )
    return render(request, LIST_TEMPLATE, {"project": project, "explanations": items})


def _explanation(request, slug, explanation_id, action=Action.READ) -> Explanation:
    explanations = Explanation.objects.filter(project__slug=slug).select_related("requested_by")
    return access.get_object(access.principal_for(request), explanations, action, pk=explanation_id)


def explanation_detail(request, slug, explanation_id):
    explanation = runs.sweep_if_running(_explanation(request, slug, explanation_id))
    context = {
        "project": explanation.project,
        "explanation": explanation,
        "poll_seconds": POLL_SECONDS,
    }
    if explanation.status == explanation.DONE:
        context["summary_html"] = render_markdown(explanation.summary)
        context["root_cause_html"] = render_markdown(explanation.root_cause)
        context["reproduction_html"] = render_markdown(explanation.reproduction_steps)
        context["code_locations"] = link_locations(
            explanation.code_locations, explanation.analysed_event
        )
        context["specification_html"] = render_markdown(
            explanations.demote_headings(explanation.specification)
        )
        context["suggested_fix_html"] = render_markdown(explanation.suggested_fix)
        context["markdown"] = explanations.as_markdown(explanation)
    return render_page_or_fragment(request, DETAIL_TEMPLATE, "explanation-body", context)


@require_POST
def retry_explanation(request, slug, explanation_id):
    explanation = _explanation(request, slug, explanation_id, Action.EXPLAIN)
    with contextlib.suppress(ValidationError):  # not failed (any more): show it as it is
        explanation = explanations.retry_explanation(access.principal_for(request), explanation)
    return _go(request, explanation)


def explanation_markdown(request, slug, explanation_id):
    explanation = _explanation(request, slug, explanation_id)
    if explanation.status != explanation.DONE:
        raise Http404("This explanation is not done.")
    response = HttpResponse(
        explanations.as_markdown(explanation), content_type="text/markdown; charset=utf-8"
    )
    filename = explanations.markdown_filename(explanation)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
