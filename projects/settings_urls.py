from django.urls import path

from . import api_keys_views

app_name = "api-keys"
urlpatterns = [
    path("settings/api-keys", api_keys_views.api_key_list, name="list"),
    path("settings/api-keys/<uuid:key_id>/revoke", api_keys_views.api_key_revoke, name="revoke"),
    path("settings/api-keys/<uuid:key_id>/roll", api_keys_views.api_key_roll, name="roll"),
]
