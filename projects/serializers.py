from rest_framework import serializers

from sentry_manager.lib.api import InputSerializer, StrictBooleanField, StrictCharField

from .models import Project


class ProjectSerializer(serializers.ModelSerializer):
    teamId = serializers.UUIDField(source="team_id")
    isActive = serializers.BooleanField(source="is_active")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Project
        fields = [
            "id",
            "teamId",
            "name",
            "slug",
            "description",
            "environment",
            "isActive",
            "createdAt",
            "updatedAt",
        ]
        read_only_fields = fields


class ProjectInputSerializer(InputSerializer):
    """Checks JSON types only; the rules on values live in projects.services."""

    ignored_fields = ("id", "createdAt", "updatedAt")

    name = StrictCharField()
    slug = StrictCharField(required=False)
    description = StrictCharField(required=False)
    environment = StrictCharField(required=False)
    isActive = StrictBooleanField(source="is_active", required=False)
    teamId = serializers.UUIDField(source="team_id", required=False)
