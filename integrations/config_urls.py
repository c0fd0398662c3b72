from django.urls import path

from . import config_endpoint
from .api import CiCredentialsApi

urlpatterns = [
    path(
        "api/integrations/sentry/<str:slug>/ci",
        CiCredentialsApi.as_view(),
        name="sentry-ci-credentials",
    ),
    path("api/integrations/sentry/<str:slug>", config_endpoint.sentry_config, name="sentry-config"),
]
