"""Each run of a `django.tasks` task is a Sentry transaction (signals, so every backend)."""

import sys
import threading

import sentry_sdk
from django.tasks import TaskResultStatus

from .sdk import is_enabled

TASK_OP = "queue.task.django"

_running_tasks = threading.local()


def _runs() -> dict:
    runs = getattr(_running_tasks, "runs", None)
    if runs is None:
        runs = _running_tasks.runs = {}
    return runs


def _task_started(sender, task_result, **kwargs):
    if not is_enabled():
        return
    task = task_result.task
    isolation = sentry_sdk.isolation_scope()
    scope = isolation.__enter__()
    try:
        scope.set_tag("task", task.module_path)
        scope.set_context(
            "task",
            {
                "id": str(task_result.id),
                "backend": task_result.backend,
                "queue": task.queue_name,
                "attempt": len(task_result.worker_ids),
            },
        )
        transaction = sentry_sdk.start_transaction(
            op=TASK_OP, name=task.module_path, source="task", origin="manual"
        )
        transaction.__enter__()
    except BaseException:
        isolation.__exit__(*sys.exc_info())
        raise
    _runs()[task_result.id] = (isolation, transaction)


def _task_finished(sender, task_result, **kwargs):
    run = _runs().pop(task_result.id, None)
    if run is None:
        return
    isolation, transaction = run
    # Sent from inside the backend's exception handler when the task failed.
    exc_info = sys.exc_info()
    try:
        if task_result.status == TaskResultStatus.FAILED:
            transaction.set_status("internal_error")
            if exc_info[0] is not None:
                sentry_sdk.capture_exception(exc_info)
        else:
            transaction.set_status("ok")
    finally:
        transaction.__exit__(None, None, None)
        isolation.__exit__(None, None, None)


def connect_task_signals() -> None:
    from django.tasks.signals import task_finished, task_started

    task_started.connect(_task_started, dispatch_uid=f"{__name__}.started")
    task_finished.connect(_task_finished, dispatch_uid=f"{__name__}.finished")
