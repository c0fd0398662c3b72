from rest_framework import serializers

from sentry_manager.lib.api import NOT_BLANK, InputSerializer, StrictBooleanField, StrictCharField

from .models import Project
from .validators import PROJECT_SLUG_MAX_LENGTH, environment_pattern, slug_pattern


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

    ignored_fields = ("id", "teamId", "createdAt", "updatedAt")

    name = StrictCharField(max_length=100, allow_blank=False, validators=[NOT_BLANK])
    slug = StrictCharField(
        required=False,
        allow_blank=False,
        max_length=PROJECT_SLUG_MAX_LENGTH,
        validators=[slug_pattern],
    )
    description = StrictCharField(required=False, max_length=1000)
    environment = StrictCharField(
        required=False, allow_blank=False, validators=[environment_pattern]
    )
    isActive = StrictBooleanField(source="is_active", required=False)


class ProjectCreateSerializer(ProjectInputSerializer):
    """A new project goes to the team named (default: the key's team, or the one chosen in the
    switcher); a project never moves, so a change ignores the teamId it echoes."""

    teamId = serializers.UUIDField(source="team_id", required=False)
