"""Recording audit entries from the services, with the request's actor and address.

A middleware keeps the current request in a context variable, so that a service records who
acted (the signed-in user, or the API key DRF verified) without every caller passing it.
Outside a request (the task worker, a management command) the actor is the system.
"""

import contextvars

from .models import AuditEntry

_request = contextvars.ContextVar("audit_request", default=None)

# Fields whose values are secret: only whether they were set or cleared is recorded.
SECRET_FIELDS = {"auth_token", "webhook_secret", "dsn", "key_hash", "token_hash", "password"}


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _client_ip(request) -> str | None:
    # REMOTE_ADDR: a proxy in front must be trusted explicitly to use X-Forwarded-For; gunicorn
    # behind a proxy sets REMOTE_ADDR from the proxy protocol or the operator configures it.
    return request.META.get("REMOTE_ADDR") or None


def _actor(request):
    if request is None:
        return None, None, ""
    from ..keys.models import ApiKey

    api_key = getattr(request, "auth", None)
    if isinstance(api_key, ApiKey):
        return api_key.owner, api_key, f"API key {api_key.name} (smk_{api_key.prefix}_…)"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, None, user.get_username()
    return None, None, ""


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} of what changed; secret fields as "set" / "cleared"."""
    changes = {}
    for field, new in after.items():
        old = before.get(field)
        if old == new:
            continue
        if field in SECRET_FIELDS:
            changes[field] = "set" if new else "cleared"
        else:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def _plain(value):
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def record(
    action: str,
    *,
    team=None,
    project=None,
    target=None,
    changes=None,
    actor_user=None,
    actor_label=None,
    request=None,
):
    """Append an entry. `target` is a model instance (its type, id and str are kept); the
    actor is the request's unless given (a login names the account)."""
    request = request or _request.get()
    user, api_key, label = _actor(request)
    if actor_user is not None or actor_label is not None:
        user, api_key = actor_user, None
        label = actor_label or (actor_user.get_username() if actor_user else "")
    if team is None and project is not None:
        team = project.team
    return AuditEntry.objects.create(
        team=team,
        action=action,
        actor_user=user,
        actor_key=api_key,
        actor=label[:150],
        ip=_client_ip(request) if request is not None else None,
        project=project,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target=str(target)[:200] if target is not None else "",
        changes=changes or {},
    )


# --- Reading ------------------------------------------------------------------------------------

FILTERS = ("actor", "action", "project", "since", "until")


def entries_for(team, *, actor="", action="", project="", since=None, until=None):
    """A team's entries, newest first, with its members' logins; narrowed by the filters."""
    from django.db.models import Q

    members = team.memberships.values("user_id")
    entries = AuditEntry.objects.filter(
        Q(team=team) | Q(team__isnull=True, actor_user__in=members)
    ).select_related("project")
    if actor:
        entries = entries.filter(actor__icontains=actor[:150])
    if action:
        entries = entries.filter(action=action[:40])
    if project:
        entries = entries.filter(project__slug=project[:100])
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


CSV_COLUMNS = ("created_at", "actor", "ip", "action", "project", "target_type", "target", "changes")


def csv_rows(entries):
    import json

    yield CSV_COLUMNS
    for entry in entries.iterator():
        yield (
            entry.created_at.isoformat(),
            entry.actor or "system",
            entry.ip or "",
            entry.action,
            entry.project.slug if entry.project else "",
            entry.target_type,
            entry.target,
            json.dumps(entry.changes, sort_keys=True) if entry.changes else "",
        )
