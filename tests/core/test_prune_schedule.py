"""The worker prunes by itself: a task that queues its next run, started once by the worker's
command (`manage.py prune --schedule`) however many workers start."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from explainer.models import WebhookDelivery
from sentry_manager import prune
from sentry_manager.tasks import prune_task

pytestmark = pytest.mark.django_db


def queued_prunes():
    return DBTaskResult.objects.filter(
        task_path=prune_task.module_path, status=TaskResultStatus.READY
    )


def test_schedule_queues_one_prune_to_run_now():
    assert prune.schedule() is True

    [queued] = queued_prunes()
    assert abs((queued.run_after - timezone.now()).total_seconds()) < 60


def test_schedule_does_nothing_while_a_prune_is_queued():
    prune.schedule()

    assert prune.schedule() is False
    assert queued_prunes().count() == 1


def test_schedule_does_nothing_when_the_interval_is_zero(settings):
    settings.PRUNE_INTERVAL_HOURS = 0

    assert prune.schedule() is False
    assert not queued_prunes().exists()


def test_the_task_prunes_and_queues_its_next_run_an_interval_later(settings, make_project):
    settings.PRUNE_INTERVAL_HOURS = 24
    project = make_project("Shop")
    WebhookDelivery.objects.create(request_id="old", project=project, resource="issue")
    WebhookDelivery.objects.update(received_at=timezone.now() - timedelta(days=400))

    counts = prune_task.call()

    assert counts["webhook deliveries"] == 1
    assert not WebhookDelivery.objects.exists()
    [queued] = queued_prunes()
    in_hours = (queued.run_after - timezone.now()).total_seconds() / 3600
    assert 23.9 < in_hours <= 24


def test_the_command_schedule_says_what_it_did(settings):
    settings.PRUNE_INTERVAL_HOURS = 24
    first, second = StringIO(), StringIO()

    call_command("prune", "--schedule", stdout=first)
    call_command("prune", "--schedule", stdout=second)

    assert first.getvalue() == "Queued the prune task: now, then every 24 hours.\n"
    assert second.getvalue() == "The prune task is already queued.\n"
    assert queued_prunes().count() == 1
