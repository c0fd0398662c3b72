"""`manage.py prune`: what is past its retention goes, what is recent or unfinished stays, and
nothing else is touched (the audit log and explanations never are)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from explainer.models import Explanation, WebhookDelivery
from projects.audit.models import AuditEntry
from projects.keys.models import KeyUsage, UsageFlag
from projects.teams.models import Invitation
from projects.teams.services import invite, personal_team, revoke_invitation
from sentry_manager import prune
from sentry_manager.tasks import prune_task

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days):
    return NOW - timedelta(days=days)


def kinds(pruned):
    return {item.kind: item.count for item in pruned}


@pytest.fixture
def project(make_project):
    return make_project("Shop")


def delivery(project, request_id, received_days_ago):
    WebhookDelivery.objects.create(request_id=request_id, project=project, resource="issue")
    WebhookDelivery.objects.filter(pk=request_id).update(received_at=days_ago(received_days_ago))


def finished_task(status, finished_days_ago):
    result = prune_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, finished_at=days_ago(finished_days_ago)
    )
    return result.id


def invitation(team, email, user, *, expires_days_ago):
    issued = invite(team, email, "member", invited_by=user)
    Invitation.objects.filter(pk=issued.invitation.pk).update(expires_at=days_ago(expires_days_ago))
    return issued.invitation


def session(expired_days_ago):
    store = SessionStore()
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=days_ago(expired_days_ago))
    return store.session_key


def test_webhook_deliveries_past_retention_go_recent_ones_stay(settings, project):
    settings.PRUNE_WEBHOOK_DELIVERIES_DAYS = 30
    delivery(project, "old", 31)
    delivery(project, "recent", 29)

    assert kinds(prune.prune(NOW))["webhook deliveries"] == 1
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == ["recent"]


def test_a_delivery_whose_timestamp_could_still_be_accepted_is_kept(settings, project):
    # An operator who accepts week-old timestamps keeps deliveries (their replay guard) longer
    # than a one-day retention.
    settings.PRUNE_WEBHOOK_DELIVERIES_DAYS = 1
    settings.SENTRY_WEBHOOK_MAX_AGE = 7 * 86400
    delivery(project, "two-days", 2)

    assert kinds(prune.prune(NOW))["webhook deliveries"] == 0
    assert WebhookDelivery.objects.filter(pk="two-days").exists()


def test_finished_tasks_past_retention_go_whatever_their_outcome(settings):
    settings.PRUNE_FINISHED_TASKS_DAYS = 14
    old_success = finished_task(TaskResultStatus.SUCCESSFUL, 15)
    old_failure = finished_task(TaskResultStatus.FAILED, 15)
    recent = finished_task(TaskResultStatus.SUCCESSFUL, 13)

    assert kinds(prune.prune(NOW))["finished tasks"] == 2
    assert DBTaskResult.objects.filter(pk=recent).exists()
    assert not DBTaskResult.objects.filter(pk__in=[old_success, old_failure]).exists()


def test_queued_and_running_tasks_stay_however_old(settings):
    settings.PRUNE_FINISHED_TASKS_DAYS = 1
    queued = prune_task.enqueue().id
    running = prune_task.enqueue().id
    DBTaskResult.objects.filter(pk__in=[queued, running]).update(enqueued_at=days_ago(90))
    DBTaskResult.objects.filter(pk=running).update(
        status=TaskResultStatus.RUNNING, started_at=days_ago(90)
    )

    assert kinds(prune.prune(NOW))["finished tasks"] == 0
    assert DBTaskResult.objects.filter(pk__in=[queued, running]).count() == 2


def test_invitations_that_ended_long_ago_go_pending_and_recent_ones_stay(settings, user):
    settings.PRUNE_INVITATIONS_DAYS = 30
    team = personal_team(user)
    expired_long_ago = invitation(team, "old@example.com", user, expires_days_ago=31)
    expired_recently = invitation(team, "recent@example.com", user, expires_days_ago=29)
    pending = invite(team, "pending@example.com", "member", invited_by=user).invitation
    withdrawn = revoke_invitation(
        invite(team, "withdrawn@example.com", "member", invited_by=user).invitation
    )
    Invitation.objects.filter(pk=withdrawn.pk).update(revoked_at=days_ago(31))

    assert kinds(prune.prune(NOW))["invitations"] == 2
    assert set(Invitation.objects.values_list("pk", flat=True)) == {
        expired_recently.pk,
        pending.pk,
    }
    assert not Invitation.objects.filter(pk=expired_long_ago.pk).exists()


def test_expired_sessions_go_live_ones_stay():
    expired = session(1)
    live = session(-14)  # expires in two weeks

    assert kinds(prune.prune(NOW))["sessions"] == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [live]
    assert not Session.objects.filter(pk=expired).exists()


def test_key_usage_past_ninety_days_goes_through_the_usage_rules():
    KeyUsage.objects.create(prefix="aaaa", hour=days_ago(91), requests=3)
    KeyUsage.objects.create(prefix="aaaa", hour=days_ago(89), requests=5)
    UsageFlag.objects.create(prefix="aaaa", hour=days_ago(91), kind="spike", detail="old")
    UsageFlag.objects.create(prefix="aaaa", hour=days_ago(1), kind="spike", detail="new")

    counts = kinds(prune.prune(NOW))

    assert (counts["key usage rows"], counts["key usage flags"]) == (1, 1)
    assert list(KeyUsage.objects.values_list("requests", flat=True)) == [5]
    assert list(UsageFlag.objects.values_list("detail", flat=True)) == ["new"]


def test_the_audit_log_and_explanations_are_never_pruned(project):
    AuditEntry.objects.create(action="project.created", target="Shop")
    for status in (Explanation.DONE, Explanation.FAILED):
        Explanation.objects.create(project=project, dedupe_key=status, status=status)
    AuditEntry.objects.update(created_at=days_ago(3650))
    Explanation.objects.update(created_at=days_ago(3650), finished_at=days_ago(3650))
    audit_before = AuditEntry.objects.count()

    prune.prune(NOW + timedelta(days=3650))

    assert AuditEntry.objects.count() == audit_before
    assert Explanation.objects.count() == 2


def test_dry_run_counts_and_deletes_nothing(settings, project):
    delivery(project, "old", 400)
    finished_task(TaskResultStatus.SUCCESSFUL, 400)
    session(400)

    counts = kinds(prune.prune(NOW, dry_run=True))

    assert counts["webhook deliveries"] == counts["finished tasks"] == counts["sessions"] == 1
    assert WebhookDelivery.objects.count() == DBTaskResult.objects.count() == 1
    assert Session.objects.count() == 1


def test_the_command_prints_a_count_per_kind(settings, project):
    settings.PRUNE_WEBHOOK_DELIVERIES_DAYS, settings.PRUNE_FINISHED_TASKS_DAYS = 30, 14
    delivery(project, "old", 400)
    delivery(project, "older", 500)
    out = StringIO()

    call_command("prune", stdout=out)

    lines = out.getvalue().splitlines()
    assert "Deleted 2 webhook deliveries (received more than 30 days ago)." in lines
    assert "Deleted 0 finished tasks (finished more than 14 days ago)." in lines
    assert len(lines) == 6  # deliveries, tasks, invitations, sessions, usage rows and flags
    assert not WebhookDelivery.objects.exists()


def test_the_command_dry_run_says_would(settings, project):
    settings.PRUNE_WEBHOOK_DELIVERIES_DAYS = 30
    delivery(project, "old", 400)
    out = StringIO()

    call_command("prune", "--dry-run", stdout=out)

    assert "Would delete 1 webhook deliveries (received more than 30 days ago)." in out.getvalue()
    assert WebhookDelivery.objects.count() == 1
