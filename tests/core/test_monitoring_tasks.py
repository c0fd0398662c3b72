"""Each task run is a Sentry transaction; a failing run is an error event too."""

import pytest
import sentry_sdk

from tests.core import monitoring_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_a_task_run_is_a_transaction(immediate_tasks, sentry_on):
    result = monitoring_tasks.add.enqueue(2, 3)
    assert result.return_value == 5
    sentry_sdk.flush()

    [transaction] = sentry_on.transactions()
    assert transaction["transaction"] == "tests.core.monitoring_tasks.add"
    assert transaction["transaction_info"]["source"] == "task"
    assert transaction["contexts"]["trace"]["op"] == "queue.task.django"
    assert transaction["contexts"]["trace"]["status"] == "ok"
    assert transaction["contexts"]["task"]["id"] == result.id
    assert transaction["tags"]["task"] == "tests.core.monitoring_tasks.add"
    assert transaction["environment"] == "staging-eu"
    assert transaction["release"] == "sentry-manager@9.9.9+test"


def test_a_failing_task_run_is_an_error_and_a_failed_transaction(immediate_tasks, sentry_on):
    result = monitoring_tasks.fail.enqueue()
    assert result.status == "FAILED"
    sentry_sdk.flush()

    [transaction] = sentry_on.transactions()
    assert transaction["contexts"]["trace"]["status"] == "internal_error"
    events = sentry_on.events()
    assert events, "the failure was not reported"
    assert {event["exception"]["values"][-1]["type"] for event in events} == {"ValueError"}
    assert all(event["tags"]["task"] == "tests.core.monitoring_tasks.fail" for event in events)
    assert "PLANTEDintask" not in sentry_on.raw()


def test_task_scope_does_not_leak_into_what_follows(immediate_tasks, sentry_on):
    monitoring_tasks.add.enqueue(1, 1)
    sentry_sdk.capture_message("after the task")
    sentry_sdk.flush()

    [event] = sentry_on.events()
    assert "task" not in event.get("tags", {})


def test_task_runs_cost_nothing_without_sentry(immediate_tasks):
    assert monitoring_tasks.add.enqueue(2, 2).return_value == 4
    assert monitoring_tasks.fail.enqueue().status == "FAILED"


# The worker manages its own connections and transactions, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_run_by_the_database_worker_is_a_transaction(settings, sentry_on):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = monitoring_tasks.add.enqueue(20, 22)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    result.refresh()
    assert result.return_value == 42
    sentry_sdk.flush()

    [transaction] = sentry_on.transactions()
    assert transaction["transaction"] == "tests.core.monitoring_tasks.add"
    assert transaction["contexts"]["trace"]["status"] == "ok"
