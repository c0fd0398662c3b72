"""An API key: stored hashed, restricted to a project / environment and an access level."""

import uuid

from django.conf import settings
from django.db import models

from ..validators import validate_environment_name


class ApiKey(models.Model):
    """A key applications and scripts send as `Authorization: Bearer smk_<prefix>_<secret>`.

    Only a SHA-256 of the secret part is stored; the full key is shown once, at creation.
    """

    # What a key may do (projects.access decides): config < read < write, each including the
    # one before it; ci stands apart (CI credentials only, and nothing else).
    CONFIG = "config"
    READ = "read"
    WRITE = "write"
    CI = "ci"
    ACCESS_CHOICES = [
        (CONFIG, "Config: the config endpoint only (safe to ship in an application)"),
        (READ, "Read: config, plus reading projects, integrations, issues and explanations"),
        (WRITE, "Write: read, plus changes within the key's project and environment"),
        (CI, "CI: only the CI credentials of one project (sentry-cli in a build), nothing else"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text="Restrict the key to one project.",
    )
    environment = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_environment_name],
        help_text="Restrict the key to one environment (needs a project).",
    )
    access = models.CharField(max_length=10, choices=ACCESS_CHOICES, default=CONFIG)
    allowed_origins = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} (smk_{self.prefix}_…)"

    def status(self, now) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        if self.replaced_by_id is not None:
            return "rolling"
        return "active"
