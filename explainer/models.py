import uuid

from django.conf import settings
from django.db import models


class ImportedEvent(models.Model):
    """A Sentry event JSON a user imported (pasted, uploaded or posted), stored scrubbed."""

    access_scope = ("project", "environment")  # see projects.access.visible

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
    # The event's own environment ("" when it names none): keys restricted to an environment
    # see only its events.
    environment = models.CharField(max_length=64, blank=True, default="")
    # The event after scrubbing (secrets and personal data are never stored).
    event = models.JSONField()
    source = models.CharField(max_length=10, choices=SOURCE_CHOICES, default=SOURCE_PASTE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "-created_at"])]
        constraints = [
            # The same event imported again is the import that exists (explainer.event_import).
            models.UniqueConstraint(fields=["project", "event_id"], name="one_import_per_event")
        ]

    def __str__(self):
        return self.title


class Explanation(models.Model):
    """An AI (or built-in) explanation of a Sentry issue or an imported event, and its run."""

    access_scope = ("project", "environment")  # see projects.access.visible

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "queued"), (RUNNING, "running"), (DONE, "done"), (FAILED, "failed")]
    PENDING = (QUEUED, RUNNING)
    TRIGGER_USER, TRIGGER_WEBHOOK = "user", "webhook"
    TRIGGER_CHOICES = [(TRIGGER_USER, "user"), (TRIGGER_WEBHOOK, "Sentry webhook")]
    CONFIDENCE_CHOICES = [("low", "low"), ("medium", "medium"), ("high", "high")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="explanations"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=10, choices=TRIGGER_CHOICES, default=TRIGGER_USER)
    # What is explained: a Sentry issue (its latest event, or `event` from a webhook) or an
    # imported event. `dedupe_key` names it; one queued/running explanation per key.
    dedupe_key = models.CharField(max_length=100)
    environment = models.CharField(max_length=64, blank=True, default="")
    issue_id = models.CharField(max_length=32, blank=True, default="")
    issue_short_id = models.CharField(max_length=64, blank=True, default="")
    issue_title = models.CharField(max_length=255, blank=True, default="")
    issue_permalink = models.URLField(max_length=500, blank=True, default="")
    imported_event = models.ForeignKey(
        ImportedEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_id = models.CharField(max_length=32, blank=True, default="")
    # An event delivered with a webhook (scrubbed), explained instead of fetching the latest.
    event = models.JSONField(null=True, blank=True)

    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    provider = models.CharField(max_length=40, blank=True, default="")
    model = models.CharField(max_length=100, blank=True, default="")
    summary = models.TextField(blank=True, default="")
    root_cause = models.TextField(blank=True, default="")
    specification = models.TextField(blank=True, default="")
    # The result, shaped like a root-cause analysis. Explanations made before
    # reproduction_steps, code_locations and confidence_reason existed have them empty.
    reproduction_steps = models.TextField(blank=True, default="")
    # [{"file", "line", "function", "why"}]: where to look, linked to the frame on the page.
    code_locations = models.JSONField(default=list, blank=True)
    suggested_fix = models.TextField(blank=True, default="")
    confidence = models.CharField(max_length=10, choices=CONFIDENCE_CHOICES, blank=True, default="")
    confidence_reason = models.TextField(blank=True, default="")
    evidence = models.JSONField(default=list, blank=True)
    # What the explanation rests on, as shown on its page: the normalized, scrubbed event and
    # the issue's facts from Sentry (counts, first/last seen, top tags, suspect commits).
    analysed_event = models.JSONField(null=True, blank=True)
    issue_facts = models.JSONField(default=dict, blank=True)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    # The exact scrubbed context sent to the model (or analysed by the built-in analysis).
    context_sent = models.TextField(blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    # The run holding it (explainer.runs): a run writes its result only while this is its own.
    run_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the running worker every few seconds: silence means it died.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "dedupe_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_pending_explanation_per_subject",
            )
        ]

    def __str__(self):
        return f"{self.subject} ({self.status})"

    @property
    def subject(self) -> str:
        if self.issue_id:
            return f"{self.issue_short_id or self.issue_id} {self.issue_title}".strip()
        return self.issue_title or f"event {self.event_id}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


class WebhookDelivery(models.Model):
    """A Sentry webhook delivery (its Request-ID) already handled: a replay is ignored."""

    access_scope = ("project", None)

    request_id = models.CharField(max_length=100, primary_key=True)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    resource = models.CharField(max_length=40)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.resource} {self.request_id}"
