"""A team (workspace) owns projects and API keys; its members have a role each."""

import uuid

from django.conf import settings
from django.db import models


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    # Every user has one, made for them; it works like any other team.
    is_personal = models.BooleanField(default=False)
    # API keys and Sentry auth tokens older than this are flagged for rotation.
    rotation_days = models.PositiveIntegerField("rotate keys and tokens after (days)", default=90)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_personal", "name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    OWNER, ADMIN, MEMBER = "owner", "admin", "member"
    ROLE_CHOICES = [
        (OWNER, "Owner: everything, members and deletion included"),
        (ADMIN, "Admin: projects, integrations, API keys, auth tokens"),
        (MEMBER, "Member: read, reveal DSNs, run explanations"),
    ]

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=ROLE_CHOICES, default=MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_user")
        ]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.team}"


class Invitation(models.Model):
    """An invitation link: its token is shown once (to copy, or mailed); only a hash is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.ROLE_CHOICES)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.team} ({self.role})"

    def status(self, now) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"
