"""Validation rules for names that other apps share (environments, slugs)."""

import re

from django.core.exceptions import ValidationError

ENVIRONMENT_RE = re.compile(r"^[a-z0-9_.-]{1,64}$")
STANDARD_ENVIRONMENTS = ("development", "staging", "production")
PROJECT_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROJECT_SLUG_MAX_LENGTH = 100


def is_valid_environment(value: str) -> bool:
    return isinstance(value, str) and bool(ENVIRONMENT_RE.fullmatch(value))


def validate_environment_name(value: str) -> None:
    if not is_valid_environment(value):
        raise ValidationError(
            "Environment names are 1–64 characters of lowercase letters, digits, '-', '_' "
            f"and '.', such as 'production' or 'eu-west.staging'; got {value!r}.",
            code="invalid_environment",
        )


def validate_project_slug(value: str) -> None:
    if len(value) > PROJECT_SLUG_MAX_LENGTH or not PROJECT_SLUG_RE.fullmatch(value):
        raise ValidationError(
            "A slug is lowercase letters and digits separated by single hyphens, "
            f"at most {PROJECT_SLUG_MAX_LENGTH} characters, such as 'my-app'; got {value!r}.",
            code="invalid_slug",
        )
