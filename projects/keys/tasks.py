"""Background work of API keys (django.tasks; `make run` starts a worker)."""

from django.tasks import task

from . import usage


@task
def flush_usage() -> int:
    return usage.flush()
