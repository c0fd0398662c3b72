"""JSON API for API keys: GET/POST /api/keys, DELETE /api/keys/<id>, POST /api/keys/<id>/roll."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from sentry_manager.lib.api import NOT_BLANK, ApiView, InputSerializer, StrictCharField

from .. import access
from ..access import Action
from ..validators import environment_pattern
from . import services as api_keys
from .models import ApiKey

ORIGIN_PATTERN = RegexValidator(
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$",
    "%(value)r is not an origin; write it as https://app.example.com (scheme, host and "
    "optional port, no path).",
)


class ApiKeySerializer(serializers.ModelSerializer):
    teamId = serializers.UUIDField(source="team_id")
    projectId = serializers.UUIDField(source="project_id", allow_null=True)
    allowedOrigins = serializers.ListField(source="allowed_origins", child=serializers.CharField())
    createdAt = serializers.DateTimeField(source="created_at")
    expiresAt = serializers.DateTimeField(source="expires_at", allow_null=True)
    revokedAt = serializers.DateTimeField(source="revoked_at", allow_null=True)
    lastUsedAt = serializers.DateTimeField(source="last_used_at", allow_null=True)
    replacedBy = serializers.UUIDField(source="replaced_by_id", allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "teamId",
            "projectId",
            "environment",
            "access",
            "allowedOrigins",
            "createdAt",
            "expiresAt",
            "revokedAt",
            "lastUsedAt",
            "replacedBy",
            "status",
        ]
        read_only_fields = fields

    def get_status(self, api_key) -> str:
        return api_key.status(self.context["now"])


class IssuedKeySerializer(ApiKeySerializer):
    key = serializers.SerializerMethodField()

    class Meta(ApiKeySerializer.Meta):
        fields = ["key", *ApiKeySerializer.Meta.fields]
        read_only_fields = fields

    def get_key(self, api_key) -> str:
        return self.context["plaintext"]


class ApiKeyInputSerializer(InputSerializer):
    name = StrictCharField(max_length=100, allow_blank=False, validators=[NOT_BLANK])
    teamId = serializers.UUIDField(source="team_id", required=False)
    projectId = serializers.UUIDField(source="project_id", required=False, allow_null=True)
    environment = StrictCharField(
        required=False,
        validators=[environment_pattern],
        help_text="Restrict the key to one environment of its project (needs projectId).",
    )
    access = serializers.ChoiceField(
        choices=ApiKey.ACCESS_CHOICES,
        required=False,
        help_text="config (default): the config endpoint only. read: also the GET routes of "
        "what the key may see. write: also changes within its project and environment. "
        "ci: only GET /api/integrations/sentry/<slug>/ci (CI credentials); needs projectId.",
    )
    expiresAt = serializers.DateTimeField(
        source="expires_at", required=False, allow_null=True, help_text="In the future."
    )
    allowedOrigins = serializers.ListField(
        source="allowed_origins",
        child=StrictCharField(
            allow_blank=False,
            max_length=api_keys.MAX_ORIGIN_LENGTH,
            validators=[ORIGIN_PATTERN],
            help_text="e.g. https://app.example.com",
            error_messages={
                "max_length": f"An origin is at most {api_keys.MAX_ORIGIN_LENGTH} characters."
            },
        ),
        required=False,
        max_length=api_keys.MAX_ORIGINS,
        error_messages={
            "max_length": f"A key may list at most {api_keys.MAX_ORIGINS} allowed origins; "
            "use one key per application."
        },
    )


class RollInputSerializer(InputSerializer):
    graceHours = serializers.FloatField(
        source="grace_hours", required=False, min_value=0, max_value=24 * 30
    )


class KeyNotActive(APIException):
    status_code = status.HTTP_409_CONFLICT
    error_code = "key_not_active"


class KeysApiView(ApiView):
    def context(self, **extra):
        return {"now": timezone.now(), **extra}

    def issued_response(self, issued) -> Response:
        """The one answer that holds the key itself: never stored by a cache."""
        body = IssuedKeySerializer(
            issued.api_key, context=self.context(plaintext=issued.plaintext)
        ).data
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    def get_key(self, request, key_id) -> ApiKey:
        return access.get_api_key(access.principal_for(request), self.policy_action, id=key_id)


class ApiKeyListApi(KeysApiView):
    pagination_class = PageNumberPagination  # the schema documents the page, not an array
    policy_actions = {"GET": Action.READ_KEYS, "POST": Action.MANAGE_KEYS}

    @extend_schema(responses=ApiKeySerializer(many=True), operation_id="keys_list")
    def get(self, request):
        keys = access.visible_api_keys(access.principal_for(request))
        context = self.context()
        return self.paginated(
            keys, lambda page: ApiKeySerializer(page, many=True, context=context).data
        )

    @extend_schema(request=ApiKeyInputSerializer, responses={201: IssuedKeySerializer})
    def post(self, request):
        serializer = ApiKeyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project_id = data.pop("project_id", None)
        principal = access.principal_for(request)
        project = None
        if project_id:
            project = access.get_project(principal, Action.MANAGE_KEYS, id=project_id)
        team = access.team_for(
            principal,
            Action.MANAGE_KEYS,
            data.pop("team_id", None) or (project.team_id if project else None),
            default=request.team,
        )
        try:
            issued = api_keys.issue_api_key(owner=request.user, team=team, project=project, **data)
        except ValidationError as error:
            # The services name the project `project`; this API calls it projectId.
            errors = error.message_dict
            if "project" in errors:
                errors["project_id"] = errors.pop("project")
            raise ValidationError(errors) from error
        return self.issued_response(issued)


class ApiKeyDetailApi(KeysApiView):
    policy_actions = {"GET": Action.READ_KEYS, "DELETE": Action.MANAGE_KEYS}

    @extend_schema(responses=ApiKeySerializer)
    def get(self, request, key_id):
        return Response(
            ApiKeySerializer(self.get_key(request, key_id), context=self.context()).data
        )

    @extend_schema(
        responses={200: ApiKeySerializer},
        description="Revoke the key (it stops working at once).",
    )
    def delete(self, request, key_id):
        api_key = api_keys.revoke_api_key(self.get_key(request, key_id))
        return Response(ApiKeySerializer(api_key, context=self.context()).data)


class ApiKeyRollApi(KeysApiView):
    policy_actions = {"POST": Action.MANAGE_KEYS}
    extra_error_codes = (409,)

    @extend_schema(request=RollInputSerializer, responses={201: IssuedKeySerializer})
    def post(self, request, key_id):
        api_key = self.get_key(request, key_id)
        serializer = RollInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hours = serializer.validated_data.get("grace_hours", 24)
        try:
            issued = api_keys.roll_api_key(api_key, grace=timedelta(hours=hours))
        except ValidationError as error:
            if error.code == "not_active":  # the key's state, not the request, is the problem
                raise KeyNotActive(error.message) from error
            raise
        return self.issued_response(issued)
