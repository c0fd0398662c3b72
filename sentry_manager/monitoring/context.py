"""Request context: the user id (never the email) and the project / team tags."""

import weakref

import sentry_sdk

from .sdk import is_enabled

PROJECT_SLUG_KWARGS = ("slug", "project_slug")
PROJECT_ID_KWARGS = ("project_id",)
TEAM_KWARGS = ("team_slug", "team")


def _user_processor(request_ref):
    def add_user(event, hint):
        request = request_ref()
        user = getattr(request, "user", None) if request is not None else None
        # At event time: DRF has authenticated by now (API keys included) and set request.user.
        if user is not None and getattr(user, "is_authenticated", False):
            event["user"] = {"id": str(user.pk)}
        elif "user" in event:
            event["user"] = {key: v for key, v in event["user"].items() if key == "id"}
        team = _team_slug(request)
        if team and not (event.get("tags") or {}).get("team"):
            event.setdefault("tags", {})["team"] = team
        return event

    return add_user


def _team_slug(request) -> str | None:
    """The workspace the request acts in (`request.team`, set by the app), if any."""
    try:
        return getattr(getattr(request, "team", None), "slug", None)
    except Exception:  # noqa: BLE001 - the event must still be sent
        return None


class SentryContextMiddleware:
    """Tags every event of a request with its user id (never the email) and project / team."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_enabled():
            scope = sentry_sdk.get_isolation_scope()
            scope.add_event_processor(_user_processor(weakref.ref(request)))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not view_kwargs or not is_enabled():
            return None
        scope = sentry_sdk.get_isolation_scope()
        for name in PROJECT_SLUG_KWARGS:
            if view_kwargs.get(name):
                scope.set_tag("project", str(view_kwargs[name]))
                break
        for name in PROJECT_ID_KWARGS:
            if view_kwargs.get(name):
                scope.set_tag("project_id", str(view_kwargs[name]))
                break
        for name in TEAM_KWARGS:
            if view_kwargs.get(name):
                scope.set_tag("team", str(view_kwargs[name]))
                break
        return None
