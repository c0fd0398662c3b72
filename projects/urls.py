from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    # Each project's own page is served by integrations/ (it lists the integrations).
    path("projects", views.project_list, name="list"),
]
