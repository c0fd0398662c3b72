from django.urls import path

from . import api

urlpatterns = [
    path(
        "projects/<uuid:project_id>/sentry",
        api.IntegrationListApi.as_view(),
        name="api-sentry-integrations",
    ),
    path(
        "projects/<uuid:project_id>/sentry/<uuid:integration_id>",
        api.IntegrationDetailApi.as_view(),
        name="api-sentry-integration",
    ),
]
