from django.core.management.base import BaseCommand

from integrations.services import rotate_encryption_key


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the current ENCRYPTION_KEY (older keys from "
        "ENCRYPTION_OLD_KEYS decrypt). Idempotent; each row is committed on its own."
    )

    def handle(self, *args, **options):
        counts = rotate_encryption_key()
        self.stdout.write(
            f"re-encrypted: {counts['reencrypted']}, already current: {counts['current']}, "
            f"unreadable: {counts['unreadable']}"
        )
        if counts["unreadable"]:
            self.stderr.write(
                "Some secrets open with none of the configured keys. Add the key they were "
                "encrypted with to ENCRYPTION_OLD_KEYS and run this again, or enter those "
                "auth tokens anew."
            )
        elif counts["reencrypted"] or counts["current"]:
            self.stdout.write(
                "Every secret now uses the current key; keys in ENCRYPTION_OLD_KEYS can be removed."
            )
