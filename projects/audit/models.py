from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One action, recorded when it happened. Append-only: entries are never changed."""

    access_scope = ("project", None)  # see projects.access.visible

    team = models.ForeignKey(
        "projects.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="audit"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40, db_index=True)
    # Who: a user, an API key acting for its team, or the system (no actor).
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_key = models.ForeignKey(
        "projects.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=150, blank=True)  # as it read then
    ip = models.GenericIPAddressField(null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target = models.CharField(max_length=200, blank=True)  # as it read then
    # Changed fields: {"field": [old, new]}; secrets only as "set" / "cleared".
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["team", "-created_at"])]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor or 'system'} {self.action} {self.target}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are never changed.")
        super().save(*args, **kwargs)
