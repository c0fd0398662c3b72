from django.urls import path

from . import api
from .audit.views import AuditApi

urlpatterns = [
    path("projects", api.ProjectListApi.as_view(), name="api-projects"),
    path("projects/<uuid:project_id>", api.ProjectDetailApi.as_view(), name="api-project"),
    path("teams/<uuid:team_id>/audit", AuditApi.as_view(), name="api-team-audit"),
]
