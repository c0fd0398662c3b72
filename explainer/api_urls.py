from django.urls import path

from . import api

urlpatterns = [
    path(
        "projects/<uuid:project_id>/sentry-issues",
        api.SentryIssueListApi.as_view(),
        name="api-sentry-issues",
    ),
    path(
        "projects/<uuid:project_id>/sentry-issues/<int:issue_id>",
        api.SentryIssueDetailApi.as_view(),
        name="api-sentry-issue",
    ),
    path("projects/<uuid:project_id>/events", api.EventImportApi.as_view(), name="api-events"),
]
