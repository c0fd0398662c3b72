from django.conf import settings
from django.core.management.base import BaseCommand

from sentry_manager import prune


class Command(BaseCommand):
    help = (
        "Delete what accumulates past its retention: webhook deliveries, finished task "
        "results, ended invitations, expired sessions, API key usage past 90 days (settings "
        "PRUNE_*). Never the audit log or explanations. Run it daily from cron, or let the task "
        "worker do it (--schedule)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Only queue the daily prune task for the worker (unless one is queued).",
        )

    def handle(self, *args, dry_run=False, schedule=False, **options):
        if schedule:
            hours = settings.PRUNE_INTERVAL_HOURS
            if not hours:
                self.stdout.write("PRUNE_INTERVAL_HOURS is 0: the worker does not prune.")
            elif prune.schedule():
                self.stdout.write(f"Queued the prune task: now, then every {hours} hours.")
            else:
                self.stdout.write("The prune task is already queued.")
            return
        verb = "Would delete" if dry_run else "Deleted"
        for item in prune.prune(dry_run=dry_run):
            self.stdout.write(f"{verb} {item.count} {item.kind} ({item.rule}).")
