from django.urls import path

from . import loader_views, views

app_name = "integrations"
project = "projects/<slug:slug>"
one = f"{project}/integrations/<uuid:integration_id>"
urlpatterns = [
    # The project page lists its integrations, so it is served from here (see views).
    path(project, views.project_detail, name="project"),
    path(f"{project}/edit", views.project_edit, name="project-edit"),
    path(f"{project}/active", views.project_set_active, name="project-active"),
    path(f"{project}/delete", views.project_delete, name="project-delete"),
    path(f"{project}/use-config", views.use_config, name="use-config"),
    path(f"{project}/integrations/new", views.integration_new, name="new"),
    path(f"{one}/edit", views.integration_edit, name="edit"),
    path(f"{one}/active", views.integration_set_active, name="set-active"),
    path(f"{one}/delete", views.integration_delete, name="delete"),
    path(f"{one}/dsn/reveal", views.dsn_reveal, name="dsn-reveal"),
    path(f"{one}/dsn/hide", views.dsn_hide, name="dsn-hide"),
    path(f"{one}/dsn/copy", views.dsn_copy, name="dsn-copy"),
    path(f"{one}/loader/issue", loader_views.loader_issue, name="loader-issue"),
    path(f"{one}/loader/revoke", loader_views.loader_revoke, name="loader-revoke"),
    path(f"{one}/loader/origins", loader_views.loader_origins, name="loader-origins"),
]
