import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

# API keys live in projects/keys/; imported here so that Django registers the model.
from .keys.models import ApiKey
from .validators import PROJECT_SLUG_MAX_LENGTH, validate_environment_name, validate_project_slug


class Project(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(max_length=100)
    slug = models.CharField(
        max_length=PROJECT_SLUG_MAX_LENGTH,
        unique=True,
        validators=[validate_project_slug],
        error_messages={"unique": "The slug is already taken by another project."},
    )
    description = models.TextField(
        max_length=1000, blank=True, validators=[MaxLengthValidator(1000)]
    )
    environment = models.CharField(
        "default environment",
        max_length=64,
        default="development",
        validators=[validate_environment_name],
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "slug"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self):
        # Two projects may share a name; the slug tells them apart in every picker.
        return f"{self.name} ({self.slug})"


__all__ = ["ApiKey", "Project"]
