from django.urls import path

from . import views

app_name = "api-keys"
urlpatterns = [
    path("settings/api-keys", views.api_key_list, name="list"),
    path("settings/api-keys/<uuid:key_id>", views.api_key_detail, name="detail"),
    path("settings/api-keys/<uuid:key_id>/revoke", views.api_key_revoke, name="revoke"),
    path("settings/api-keys/<uuid:key_id>/roll", views.api_key_roll, name="roll"),
]
