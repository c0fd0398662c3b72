"""Deleting what accumulates, for `manage.py prune` (sentry_manager/prune.py): the helper every
app's prune rule uses, and the rules for Django's and the task queue's own tables."""

import contextlib
from importlib import import_module

from django.conf import settings
from django.db.models import QuerySet


def delete(rows: QuerySet, *, dry_run: bool = False) -> int:
    """Delete `rows` (or only count them): how many rows of their model."""
    if dry_run:
        return rows.count()
    _total, per_model = rows.delete()
    return per_model.get(rows.model._meta.label, 0)


def prune_finished_tasks(before, *, dry_run: bool = False) -> int:
    """Task results that finished (succeeded or failed) before `before`. Queued and running
    tasks are never touched, however old."""
    from django_tasks_db.models import DBTaskResult

    return delete(DBTaskResult.objects.finished().filter(finished_at__lt=before), dry_run=dry_run)


def prune_expired_sessions(now, *, dry_run: bool = False) -> int:
    """Sessions past their expiry date, as `manage.py clearsessions` deletes them. Sessions kept
    in the database are counted; an engine without rows (signed cookies) has none to delete."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model_class = getattr(store, "get_model_class", None)
    if model_class is not None:  # the db and cached_db engines
        return delete(model_class().objects.filter(expire_date__lt=now), dry_run=dry_run)
    if not dry_run:
        # The file and cache engines count nothing; signed cookies expire in the browser.
        with contextlib.suppress(NotImplementedError):
            store.clear_expired()
    return 0
