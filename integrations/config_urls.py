from django.urls import path

from . import config_endpoint

urlpatterns = [
    path("api/integrations/sentry/<str:slug>", config_endpoint.sentry_config, name="sentry-config"),
]
