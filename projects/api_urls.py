from django.urls import path

from . import api, api_keys_api

urlpatterns = [
    path("projects", api.ProjectListApi.as_view(), name="api-projects"),
    path("projects/<uuid:project_id>", api.ProjectDetailApi.as_view(), name="api-project"),
    path("keys", api_keys_api.ApiKeyListApi.as_view(), name="api-keys"),
    path("keys/<uuid:key_id>", api_keys_api.ApiKeyDetailApi.as_view(), name="api-key"),
    path("keys/<uuid:key_id>/roll", api_keys_api.ApiKeyRollApi.as_view(), name="api-key-roll"),
]
