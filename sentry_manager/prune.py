"""`manage.py prune` and the daily prune task: what accumulates, deleted past its retention.

Each app keeps the rule for its own rows (which ones are old, what must stay); this module only
puts them together with the retention settings, in one place the command and the task share:

- webhook deliveries: PRUNE_WEBHOOK_DELIVERIES_DAYS after they arrived (explainer.webhooks);
- finished task results: PRUNE_FINISHED_TASKS_DAYS after they finished (queued and running
  ones stay);
- invitations: PRUNE_INVITATIONS_DAYS after they were accepted, withdrawn or expired;
- expired sessions, as `manage.py clearsessions`;
- API key usage rows and flags past 90 days (projects.keys.usage, as each hourly flush does).

Never pruned: the audit log (append-only by design), explanations, imported events, projects,
keys and integrations.

django-tasks-db has no cron: the task runs `prune()` and queues itself again
PRUNE_INTERVAL_HOURS later (the explainer's watchdog reschedules itself the same way).
`schedule()` starts the chain — the image's worker command calls it (`manage.py prune
--schedule`) — and does nothing while a prune is already queued, so workers restarting or
running side by side never start a second chain.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from explainer.webhooks import prune_deliveries
from projects.keys import usage
from projects.teams.services import prune_invitations
from sentry_manager.lib import pruning


@dataclass(frozen=True)
class Pruned:
    kind: str  # "webhook deliveries", ...
    count: int  # deleted, or that would be with dry_run
    rule: str  # which ones, for people: "received more than 30 days ago"


def prune(now: datetime | None = None, *, dry_run: bool = False) -> list[Pruned]:
    """Delete (or with `dry_run`, count) everything past its retention; one Pruned per kind."""
    now = now or timezone.now()

    def days_ago(days: int) -> datetime:
        return now - timedelta(days=days)

    webhook_days = settings.PRUNE_WEBHOOK_DELIVERIES_DAYS
    task_days = settings.PRUNE_FINISHED_TASKS_DAYS
    invitation_days = settings.PRUNE_INVITATIONS_DAYS
    pruned = [
        Pruned(
            "webhook deliveries",
            prune_deliveries(days_ago(webhook_days), dry_run=dry_run),
            f"received more than {webhook_days} days ago",
        ),
        Pruned(
            "finished tasks",
            pruning.prune_finished_tasks(days_ago(task_days), dry_run=dry_run),
            f"finished more than {task_days} days ago",
        ),
        Pruned(
            "invitations",
            prune_invitations(days_ago(invitation_days), dry_run=dry_run),
            f"accepted, withdrawn or expired more than {invitation_days} days ago",
        ),
        Pruned(
            "sessions",
            pruning.prune_expired_sessions(now, dry_run=dry_run),
            "past their expiry date",
        ),
    ]
    retention = f"older than {usage.RETENTION.days} days"
    pruned += [
        Pruned(kind, count, retention) for kind, count in usage.prune(now, dry_run=dry_run).items()
    ]
    return pruned


def _queued() -> bool:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import prune_task

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return waiting.filter(task_path=prune_task.module_path).exists()


def schedule(delay: timedelta = timedelta(0)) -> bool:
    """Queue the prune task to run after `delay`, unless one is queued already or
    PRUNE_INTERVAL_HOURS is 0. True when it queued one."""
    from .tasks import prune_task

    if not settings.PRUNE_INTERVAL_HOURS or _queued():
        return False
    prune_task.using(run_after=timezone.now() + delay).enqueue()
    return True


def run_and_reschedule() -> dict[str, int]:
    """The task's body: prune, then queue the next run (even when this one failed)."""
    try:
        return {item.kind: item.count for item in prune()}
    finally:
        schedule(timedelta(hours=settings.PRUNE_INTERVAL_HOURS))
