from django.urls import path

from . import views

app_name = "integrations"
one = "projects/<slug:slug>/integrations/<uuid:integration_id>"
urlpatterns = [
    # The project page lists its integrations, so it is served from here; sentry_manager/urls.py
    # includes these URLs before projects', and `projects:detail` names the same address.
    path("projects/<slug:slug>", views.project_detail, name="project"),
    path("projects/<slug:slug>/integrations/new", views.integration_new, name="new"),
    path(f"{one}/edit", views.integration_edit, name="edit"),
    path(f"{one}/active", views.integration_set_active, name="set-active"),
    path(f"{one}/delete", views.integration_delete, name="delete"),
    path(f"{one}/dsn/reveal", views.dsn_reveal, name="dsn-reveal"),
    path(f"{one}/dsn/hide", views.dsn_hide, name="dsn-hide"),
    path(f"{one}/dsn/copy", views.dsn_copy, name="dsn-copy"),
]
