import uuid

from django.conf import settings
from django.db import models


class ImportedEvent(models.Model):
    """A Sentry event JSON a user imported (pasted, uploaded or posted), stored scrubbed."""

    SOURCE_PASTE = "paste"
    SOURCE_UPLOAD = "upload"
    SOURCE_API = "api"
    SOURCE_CHOICES = [(SOURCE_PASTE, "pasted"), (SOURCE_UPLOAD, "uploaded"), (SOURCE_API, "API")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="imported_events"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_id = models.CharField(max_length=32)
    title = models.CharField(max_length=255)
    # The event after scrubbing (secrets and personal data are never stored).
    event = models.JSONField()
    source = models.CharField(max_length=10, choices=SOURCE_CHOICES, default=SOURCE_PASTE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self):
        return self.title
