from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("projects", views.project_list, name="list"),
    path("projects/<slug:slug>", views.project_detail, name="detail"),
    path("projects/<slug:slug>/edit", views.project_edit, name="edit"),
    path("projects/<slug:slug>/active", views.project_set_active, name="set-active"),
    path("projects/<slug:slug>/delete", views.project_delete, name="delete"),
]
