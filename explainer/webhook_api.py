"""`POST /api/webhooks/sentry/<projectId>`: Sentry integration-platform webhooks (signed)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from sentry_manager.lib.api import ApiView

from . import webhooks


class WebhookProblem(APIException):
    def __init__(self, error: webhooks.WebhookRejected):
        super().__init__(detail=str(error))
        self.status_code = error.status
        self.error_code = error.code


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
