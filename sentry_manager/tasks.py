"""Background work of the installation itself (django.tasks; the worker runs it)."""

from django.tasks import task

from . import prune


@task
def prune_task() -> dict[str, int]:
    """Deletes what accumulates past its retention, then queues itself again (see prune.py)."""
    return prune.run_and_reschedule()
