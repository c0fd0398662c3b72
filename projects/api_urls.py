from django.urls import path

from . import api

urlpatterns = [
    path("projects", api.ProjectListApi.as_view(), name="api-projects"),
    path("projects/<uuid:project_id>", api.ProjectDetailApi.as_view(), name="api-project"),
]
