"""JSON API: a project's Sentry issues, one issue with its latest event, event import,
explanations, and `POST /api/webhooks/sentry/<projectId>` (Sentry integration-platform
webhooks, signed)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from projects import access
from projects.access import Action
from projects.validators import ENVIRONMENT_RE, environment_pattern
from sentry_manager.lib.api import ApiView, InputSerializer, StrictCharField
from sentry_manager.lib.schema import paginated

from . import event_import, explanations, runs, sentry_reading, webhooks
from .models import Explanation
from .sentry_api import SentryApiError, SentryRateLimited
from .serializers import explanation_json


class SentryProblem(APIException):
    """A SentryApiError in the API's error shape, with its status and code."""

    def __init__(self, error: SentryApiError):
        super().__init__(detail=error.message)
        self.status_code = error.status_code
        self.error_code = error.code
        if isinstance(error, SentryRateLimited) and error.retry_after is not None:
            self.wait = max(1, int(error.retry_after) + 1)  # DRF sends it as Retry-After


class EventTooLarge(APIException):
    status_code = 413
    error_code = "too_large"
    default_detail = "The event is too large."


ENVIRONMENT = OpenApiParameter(
    "environment", str, description="Default: the project's.", pattern=ENVIRONMENT_RE.pattern
)
# Errors of the views that read Sentry: its token unusable (409) or Sentry failing (502, 504).
SENTRY_ERRORS = (409, 502, 504)
ISSUE_PAGE = {
    "type": "object",
    "required": ["results", "nextCursor"],
    "properties": {
        "results": {"type": "array", "items": {"type": "object"}},
        "nextCursor": {"type": "string", "nullable": True},
    },
}


def _project(request, project_id, action):
    return access.get_project(access.principal_for(request), action, id=project_id)


def _environment(request, project, requested, action=Action.READ_ISSUES) -> str:
    return sentry_reading.environment_for(access.principal_for(request), project, requested, action)


class SentryIssueListApi(ApiView):
    policy_actions = {"GET": Action.READ_ISSUES}
    extra_error_codes = SENTRY_ERRORS

    @extend_schema(
        parameters=[
            ENVIRONMENT,
            OpenApiParameter("query", str, description="Sentry search; default is:unresolved"),
            OpenApiParameter("cursor", str, description="`nextCursor` of the previous page"),
        ],
        responses={200: ISSUE_PAGE},
        operation_id="sentry_issues_list",
    )
    def get(self, request, project_id):
        project = _project(request, project_id, Action.READ_ISSUES)
        environment = _environment(request, project, request.query_params.get("environment"))
        query = request.query_params.get("query")
        try:
            page = sentry_reading.list_issues(
                project,
                environment,
                query="is:unresolved" if query is None else query.strip()[:500],
                cursor=request.query_params.get("cursor"),
            )
        except SentryApiError as error:
            raise SentryProblem(error) from error
        return Response({"results": page.results, "nextCursor": page.next_cursor})


class SentryIssueDetailApi(ApiView):
    policy_actions = {"GET": Action.READ_ISSUES}
    extra_error_codes = SENTRY_ERRORS

    @extend_schema(parameters=[ENVIRONMENT], responses=OpenApiTypes.OBJECT)
    def get(self, request, project_id, issue_id):
        project = _project(request, project_id, Action.READ_ISSUES)
        environment = _environment(request, project, request.query_params.get("environment"))
        try:
            issue, event = sentry_reading.issue_with_latest_event(project, environment, issue_id)
        except SentryApiError as error:
            raise SentryProblem(error) from error
        return Response({**issue, "latestEvent": event})


class EventImportApi(ApiView):
    policy_actions = {"POST": Action.IMPORT_EVENT}

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 200: OpenApiTypes.OBJECT},
        description="Body: a Sentry event JSON (the UI's JSON download, the web API's event, "
        "or an event.created webhook body), at most EVENT_IMPORT_MAX_BYTES. 201 with the new "
        "import; 200 with the existing one when this event (same id, or the same content for "
        "an event without id) was imported before.",
    )
    def post(self, request, project_id):
        project = _project(request, project_id, Action.IMPORT_EVENT)
        limit = settings.EVENT_IMPORT_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise EventTooLarge(
                f"The event is {length / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB."
            )
        principal = access.principal_for(request)
        imported, created = event_import.import_or_find_event(
            principal, project, request.data, source="api"
        )
        body = {
            "id": str(imported.pk),
            "eventId": imported.event_id,
            "title": imported.title,
            "createdAt": imported.created_at,
            "created": created,
            "event": event_import.normalized(imported),
        }
        # The same event again answers the import that exists (200), not a second copy.
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- Explanations -----------------------------------------------------------------------------


class ExplanationInput(InputSerializer):
    issueId = StrictCharField(
        required=False,
        allow_blank=False,
        validators=[RegexValidator(r"^[0-9]{1,32}$", "A Sentry issue id is a number.")],
        help_text="A Sentry issue (its latest event is explained). Give this or eventId.",
    )
    eventId = serializers.UUIDField(
        required=False, help_text="An imported event of the project. Give this or issueId."
    )
    environment = StrictCharField(
        required=False, allow_blank=False, validators=[environment_pattern]
    )


class NoSuchImportedEvent(NotFound):
    default_detail = "No such imported event in this project."


def _brief_explanations(page) -> list[dict]:
    return [explanation_json(explanation, brief=True) for explanation in page]


def _explanation_response(explanation, status_code=200):
    response = Response(explanation_json(explanation), status=status_code)
    response["Location"] = reverse("api-explanation", args=[explanation.pk])
    return response


class ExplanationListApi(ApiView):
    policy_actions = {"GET": Action.READ, "POST": Action.EXPLAIN}
    extra_error_codes = SENTRY_ERRORS

    @extend_schema(responses={200: paginated({"type": "object"})}, operation_id="explanations_list")
    def get(self, request, project_id):
        project = _project(request, project_id, Action.READ)
        principal = access.principal_for(request)
        runs.sweep(project.explanations.all())
        queryset = access.visible(principal, project.explanations.select_related("requested_by"))
        return self.paginated(
            queryset, lambda page: [explanation_json(e, brief=True) for e in page]
        )

    @extend_schema(
        request=ExplanationInput,
        responses={202: OpenApiTypes.OBJECT},
        description="Queue an explanation of a Sentry issue (`issueId`, its latest event) or "
        "of an imported event (`eventId`). The same subject while one is queued or running "
        "returns that one.",
    )
    def post(self, request, project_id):
        principal = access.principal_for(request)
        project = _project(request, project_id, Action.EXPLAIN)
        serializer = ExplanationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if bool(data.get("issueId")) == bool(data.get("eventId")):
            raise ValidationError(
                {"issueId": "Give either issueId (a Sentry issue) or eventId (an imported event)."}
            )
        if data.get("issueId"):
            try:
                explanation, _ = explanations.explain_issue(
                    principal, project, data["issueId"], environment=data.get("environment")
                )
            except SentryApiError as error:
                raise SentryProblem(error) from error
        else:
            events = project.imported_events.all()
            try:
                imported = access.get_object(principal, events, Action.EXPLAIN, pk=data["eventId"])
            except Http404 as missing:
                raise NoSuchImportedEvent() from missing
            explanation, _ = explanations.explain_imported_event(principal, project, imported)
        return _explanation_response(explanation, status.HTTP_202_ACCEPTED)


class ExplanationDetailApi(ApiView):
    policy_actions = {"GET": Action.READ}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, explanation_id):
        rows = Explanation.objects.select_related("project", "requested_by")
        explanation = access.get_object(access.principal_for(request), rows, pk=explanation_id)
        return _explanation_response(runs.sweep_if_running(explanation))


class NotRetryable(APIException):
    status_code = status.HTTP_409_CONFLICT
    error_code = "not_failed"


class ExplanationRetryApi(ApiView):
    policy_actions = {"POST": Action.EXPLAIN}
    extra_error_codes = (409,)

    @extend_schema(
        request=None,
        responses={202: OpenApiTypes.OBJECT},
        description="Queue a failed explanation again (one whose worker died counts as "
        "failed). 409 while it is queued, running or done.",
    )
    def post(self, request, explanation_id):
        principal = access.principal_for(request)
        rows = Explanation.objects.select_related("project", "requested_by")
        explanation = access.get_object(principal, rows, Action.EXPLAIN, pk=explanation_id)
        try:
            explanation = explanations.retry_explanation(principal, explanation)
        except ValidationError as error:
            raise NotRetryable(" ".join(error.messages)) from error
        return _explanation_response(explanation, status.HTTP_202_ACCEPTED)


# --- Sentry webhooks -------------------------------------------------------------------------


class WebhookProblem(APIException):
    def __init__(self, error: webhooks.WebhookRejected):
        super().__init__(detail=str(error))
        self.status_code = error.status
        self.error_code = error.code
        self.field = error.field


class SentryWebhookApi(ApiView):
    # The signature is the credential: no session, no API key, no CSRF.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={202: OpenApiTypes.OBJECT},
        description="Sentry integration-platform webhook, signed with the integration's client "
        "secret (Sentry-Hook-Signature). `issue` (created) and `event_alert` queue an "
        "explanation when the integration has auto-explain on; other resources are ignored.",
    )
    def post(self, request, project_id):
        try:
            answer = webhooks.handle(project_id, request.body, request.headers)
        except webhooks.WebhookRejected as error:
            raise WebhookProblem(error) from error
        return Response(answer, status=status.HTTP_202_ACCEPTED)
