"""Explanation pages: Explain (issue, imported event), the list, one explanation, Retry, .md."""

import contextlib

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from projects.access import get_visible_project
from sentry_manager.lib.htmx import redirect_to, render_page_or_fragment

from . import explanations, sentry_reading
from .access import get_visible_explanation
from .markdown_render import render_markdown
from .models import ImportedEvent
from .sentry_api import SentryApiError

LIST_TEMPLATE = "explainer/explanations.html"
DETAIL_TEMPLATE = "explainer/explanation.html"
POLL_SECONDS = 1


def _go(request, explanation):
    url = reverse("explainer:explanation", args=[explanation.project.slug, explanation.pk])
    return redirect_to(request, url)


@require_POST
def explain_issue(request, slug, issue_id):
    project = get_visible_project(request.user, slug=slug)
    environment = sentry_reading.pick_environment(project, request.POST.get("environment"))
    try:
        explanation, _ = explanations.explain_issue(
            project, issue_id, environment=environment, user=request.user
        )
    except SentryApiError as error:
        return render(
            request, "explainer/explain_error.html", {"project": project, "error": error}, 422
        )
    return _go(request, explanation)


@require_POST
def explain_imported_event(request, slug, event_pk):
    project = get_visible_project(request.user, slug=slug)
    try:
        imported = project.imported_events.get(pk=event_pk)
    except ImportedEvent.DoesNotExist as missing:
        raise Http404("No such imported event.") from missing
    explanation, _ = explanations.explain_imported_event(project, imported, user=request.user)
    return _go(request, explanation)


def explanation_list(request, slug):
    project = get_visible_project(request.user, slug=slug)
    items = project.explanations.select_related("requested_by").defer(
        "context_sent", "event", "specification", "evidence"
    )[:100]
    return render(request, LIST_TEMPLATE, {"project": project, "explanations": items})


def _explanation(request, slug, explanation_id):
    return get_visible_explanation(request.user, explanation_id, project__slug=slug)


def explanation_detail(request, slug, explanation_id):
    explanation = _explanation(request, slug, explanation_id)
    context = {
        "project": explanation.project,
        "explanation": explanation,
        "poll_seconds": POLL_SECONDS,
    }
    if explanation.status == explanation.DONE:
        context["summary_html"] = render_markdown(explanation.summary)
        context["root_cause_html"] = render_markdown(explanation.root_cause)
        context["specification_html"] = render_markdown(
            explanations.demote_headings(explanation.specification)
        )
        context["suggested_fix_html"] = render_markdown(explanation.suggested_fix)
        context["markdown"] = explanations.as_markdown(explanation)
    return render_page_or_fragment(request, DETAIL_TEMPLATE, "explanation-body", context)


@require_POST
def retry_explanation(request, slug, explanation_id):
    explanation = _explanation(request, slug, explanation_id)
    with contextlib.suppress(ValidationError):  # not failed (any more): show it as it is
        explanation = explanations.retry_explanation(explanation, user=request.user)
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
