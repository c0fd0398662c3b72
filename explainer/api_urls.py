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
    path(
        "projects/<uuid:project_id>/explanations",
        api.ExplanationListApi.as_view(),
        name="api-explanations",
    ),
    path(
        "explanations/<uuid:explanation_id>",
        api.ExplanationDetailApi.as_view(),
        name="api-explanation",
    ),
    path(
        "explanations/<uuid:explanation_id>/retry",
        api.ExplanationRetryApi.as_view(),
        name="api-explanation-retry",
    ),
    path(
        "webhooks/sentry/<uuid:project_id>",
        api.SentryWebhookApi.as_view(),
        name="api-sentry-webhook",
    ),
]
