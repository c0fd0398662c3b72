from django.urls import path

from . import explanation_views as ev
from . import views

app_name = "explainer"
urlpatterns = [
    path("projects/<slug:slug>/issues", views.issue_list, name="issues"),
    path("projects/<slug:slug>/issues/<int:issue_id>", views.issue_detail, name="issue"),
    path("projects/<slug:slug>/events/import", views.import_event, name="import-event"),
    path(
        "projects/<slug:slug>/events/<uuid:event_pk>",
        views.imported_event,
        name="imported-event",
    ),
    path(
        "projects/<slug:slug>/issues/<int:issue_id>/explain",
        ev.explain_issue,
        name="explain-issue",
    ),
    path(
        "projects/<slug:slug>/events/<uuid:event_pk>/explain",
        ev.explain_imported_event,
        name="explain-event",
    ),
    path("projects/<slug:slug>/explanations", ev.explanation_list, name="explanations"),
    path(
        "projects/<slug:slug>/explanations/<uuid:explanation_id>",
        ev.explanation_detail,
        name="explanation",
    ),
    path(
        "projects/<slug:slug>/explanations/<uuid:explanation_id>/retry",
        ev.retry_explanation,
        name="retry-explanation",
    ),
    path(
        "projects/<slug:slug>/explanations/<uuid:explanation_id>.md",
        ev.explanation_markdown,
        name="explanation-markdown",
    ),
]
