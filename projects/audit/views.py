"""The audit log of a team: filters, pages of 50, CSV export; and its JSON API."""

import csv

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from sentry_manager.lib.api import ApiView

from .. import access
from ..access import Action
from . import services
from .forms import AuditFilterForm
from .models import AuditEntry

PAGE_SIZE = 50


class _Echo:
    def write(self, value):
        return value


def audit_log(request, slug):
    team = access.get_team(access.principal_for(request), Action.READ_AUDIT, slug=slug)
    projects = access.visible_projects(access.principal_for(request)).filter(team=team)
    form = AuditFilterForm(request.GET or None, actions=services.actions(), projects=projects)
    entries = services.entries_for(team, **form.filters())
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())
        rows = (writer.writerow(row) for row in services.csv_rows(entries))
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{team.slug}.csv"'
        return response
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"team": team, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "teams/audit.html", context)


class AuditEntrySerializer(serializers.ModelSerializer):
    createdAt = serializers.DateTimeField(source="created_at")
    projectId = serializers.UUIDField(source="project_id", allow_null=True)
    targetType = serializers.CharField(source="target_type")
    targetId = serializers.CharField(source="target_id")

    class Meta:
        model = AuditEntry
        fields = [
            "id", "createdAt", "actor", "ip", "action", "projectId", "targetType", "targetId",
            "target", "changes",
        ]  # fmt: skip
        read_only_fields = fields


class AuditApi(ApiView):
    policy_actions = {"GET": Action.READ_AUDIT}

    @extend_schema(
        responses=AuditEntrySerializer(many=True),
        parameters=[OpenApiParameter(name, str) for name in services.FILTERS],
        operation_id="team_audit_list",
    )
    def get(self, request, team_id):
        team = access.get_team(access.principal_for(request), Action.READ_AUDIT, pk=team_id)
        form = AuditFilterForm(
            request.query_params or None, actions=services.actions(), projects=team.projects.all()
        )
        if request.query_params and not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        entries = services.entries_for(team, **form.filters())
        return self.paginated(entries, lambda page: AuditEntrySerializer(page, many=True).data)
