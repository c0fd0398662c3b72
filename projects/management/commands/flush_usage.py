from django.core.management.base import BaseCommand

from projects.keys import usage


class Command(BaseCommand):
    help = (
        "Copy API key usage counters from the shared cache into the database, raise anomaly "
        "flags and drop usage older than 90 days. Runs by itself when a new hour starts; run "
        "it from cron (e.g. every 15 minutes) on a quiet installation."
    )

    def handle(self, *args, **options):
        updated = usage.flush()
        self.stdout.write(f"Flushed {updated} hourly usage row(s).")
