from django.urls import path

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
        views.explain_issue,
        name="explain-issue",
    ),
    path(
        "projects/<slug:slug>/events/<uuid:event_pk>/explain",
        views.explain_imported_event,
        name="explain-event",
    ),
    path("projects/<slug:slug>/explanations", views.explanation_list, name="explanations"),
    path(
        "projects/<slug:slug>/explanations/<uuid:explanation_id>",
        views.explanation_detail,
        name="explanation",
    ),
    path(
        "projects/<slug:slug>/explanations/<uuid:explanation_id>/retry",
        views.retry_explanation,
        name="retry-explanation",
    ),
    path(
        "projects/<slug:slug>/explanations/<uuid:explanation_id>.md",
        views.explanation_markdown,
        name="explanation-markdown",
    ),
]
