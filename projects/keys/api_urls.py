from django.urls import path

from . import api

urlpatterns = [
    path("keys", api.ApiKeyListApi.as_view(), name="api-keys"),
    path("keys/<uuid:key_id>", api.ApiKeyDetailApi.as_view(), name="api-key"),
    path("keys/<uuid:key_id>/roll", api.ApiKeyRollApi.as_view(), name="api-key-roll"),
]
