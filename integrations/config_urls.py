from django.urls import path

from . import config_endpoint, loader_endpoint
from .api import CiCredentialsApi

urlpatterns = [
    path(
        "api/integrations/sentry/<str:slug>/ci",
        CiCredentialsApi.as_view(),
        name="sentry-ci-credentials",
    ),
    path("api/integrations/sentry/<str:slug>", config_endpoint.sentry_config, name="sentry-config"),
    path("js/sdk/<str:filename>", loader_endpoint.browser_sdk, name="sentry-browser-sdk"),
    path("js/<slug:loader_id>.js", loader_endpoint.browser_loader, name="sentry-loader"),
]
