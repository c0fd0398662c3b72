"""Explanation runs that survive dead workers: claim, heartbeat, stale sweep, watchdog.

- A worker *claims* a queued explanation with one conditional UPDATE (queued → running, a new
  run token): two workers never run the same one, and a run's result is saved only while its
  token still holds (a run declared dead and retried meanwhile saves nothing).
- While it runs, a thread writes `heartbeat_at` every third of EXPLANATION_HEARTBEAT_TIMEOUT.
- An explanation running with no heartbeat for EXPLANATION_HEARTBEAT_TIMEOUT, or for longer
  than EXPLANATION_TIMEOUT, is *stale*: `sweep()` marks it failed with a reason that says to
  retry. Sweeps run when explanations are asked for or viewed (pages, API), when a worker
  starts an explanation, and in a watchdog task each run schedules (django-tasks-db has no
  cron): it runs on the next worker that is alive, a restarted one included.
"""

import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from .models import Explanation

WORKER_LOST = "The worker stopped while explaining — retry."


def _timed_out_message() -> str:
    return (
        f"The explanation ran longer than EXPLANATION_TIMEOUT ({settings.EXPLANATION_TIMEOUT} s) "
        "— retry."
    )


def claim(explanation_id) -> uuid.UUID | None:
    """Mark a queued explanation running for this worker: its run token, or None when another
    worker has it (or it is not queued)."""
    token = uuid.uuid4()
    now = timezone.now()
    claimed = Explanation.objects.filter(pk=explanation_id, status=Explanation.QUEUED).update(
        status=Explanation.RUNNING, started_at=now, heartbeat_at=now, run_token=token, error=""
    )
    return token if claimed else None


def still_ours(explanation_id, token):
    """The rows a run may still write: running under its token."""
    return Explanation.objects.filter(
        pk=explanation_id, status=Explanation.RUNNING, run_token=token
    )


class Heartbeat:
    """A thread that keeps `heartbeat_at` fresh while a run is alive (a killed process stops
    it, which is the point)."""

    def __init__(self, explanation_id, token):
        self.explanation_id, self.token = explanation_id, token
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name="heartbeat")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=5)

    def _beat(self):
        interval = max(0.2, settings.EXPLANATION_HEARTBEAT_TIMEOUT / 3)
        try:
            while not self.stopped.wait(interval):
                try:
                    still_ours(self.explanation_id, self.token).update(heartbeat_at=timezone.now())
                except Exception:  # a busy database: the next beat tries again
                    close_old_connections()
        finally:
            connection.close()  # this thread's own connection


def stale_condition(now=None) -> Q:
    now = now or timezone.now()
    silent_since = now - timedelta(seconds=settings.EXPLANATION_HEARTBEAT_TIMEOUT)
    return Q(status=Explanation.RUNNING) & (
        Q(heartbeat_at__lt=silent_since)
        | Q(heartbeat_at__isnull=True, started_at__lt=silent_since)
        | Q(started_at__lt=now - timedelta(seconds=settings.EXPLANATION_TIMEOUT))
    )


def sweep(queryset=None) -> int:
    """Fail the stale running explanations of `queryset` (all by default); how many.

    One read when none is stale (the usual case), so pages and the API can call it.
    """
    now = timezone.now()
    queryset = Explanation.objects.all() if queryset is None else queryset
    stale = list(
        queryset.filter(stale_condition(now)).values_list("pk", "started_at", "heartbeat_at")[:100]
    )
    timeout = now - timedelta(seconds=settings.EXPLANATION_TIMEOUT)
    swept = 0
    for pk, started_at, _heartbeat in stale:
        timed_out = started_at is not None and started_at < timeout
        swept += (
            Explanation.objects.filter(pk=pk)
            .filter(stale_condition(now))
            .update(
                status=Explanation.FAILED,
                error=_timed_out_message() if timed_out else WORKER_LOST,
                finished_at=now,
                run_token=None,
            )
        )
    return swept


def sweep_if_running(explanation: Explanation) -> Explanation:
    """For one explanation being viewed: no query unless it is running."""
    if explanation.status == Explanation.RUNNING and sweep(
        Explanation.objects.filter(pk=explanation.pk)
    ):
        explanation.refresh_from_db()
    return explanation


def schedule_watchdog(explanation_id, token) -> None:
    from .tasks import watch_explanation

    delay = timedelta(seconds=settings.EXPLANATION_HEARTBEAT_TIMEOUT * 1.5)
    watch_explanation.using(run_after=timezone.now() + delay).enqueue(
        str(explanation_id), str(token)
    )


def watch(explanation_id, token) -> str:
    """The watchdog task: fail the run if it went stale; else look again later."""
    if not still_ours(explanation_id, token).exists():
        return "finished"
    if sweep(Explanation.objects.filter(pk=explanation_id)):
        return "failed"
    schedule_watchdog(explanation_id, token)
    return "alive"
