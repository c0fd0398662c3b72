"""Validation rules for names that other apps share (environments, slugs)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

ENVIRONMENT_RE = re.compile(r"^[a-z0-9_.-]{1,64}$")
STANDARD_ENVIRONMENTS = ("development", "staging", "production")
PROJECT_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROJECT_SLUG_MAX_LENGTH = 100


ENVIRONMENT_MESSAGE = (
    "Environment names are 1–64 characters of lowercase letters, digits, '-', '_' and '.', "
    "such as 'production' or 'eu-west.staging'; got %(value)r."
)
SLUG_MESSAGE = (
    "A slug is lowercase letters and digits separated by single hyphens, at most "
    f"{PROJECT_SLUG_MAX_LENGTH} characters, such as 'my-app'; got %(value)r."
)
# The same rules as regular expressions, for API fields (and so the OpenAPI schema).
environment_pattern = RegexValidator(ENVIRONMENT_RE.pattern, ENVIRONMENT_MESSAGE, "invalid")
slug_pattern = RegexValidator(PROJECT_SLUG_RE.pattern, SLUG_MESSAGE, "invalid_slug")


def is_valid_environment(value: str) -> bool:
    return isinstance(value, str) and bool(ENVIRONMENT_RE.fullmatch(value))


def validate_environment_name(value: str) -> None:
    if not is_valid_environment(value):
        raise ValidationError(
            ENVIRONMENT_MESSAGE, code="invalid_environment", params={"value": value}
        )


def validate_project_slug(value: str) -> None:
    if len(value) > PROJECT_SLUG_MAX_LENGTH or not PROJECT_SLUG_RE.fullmatch(value):
        raise ValidationError(SLUG_MESSAGE, code="invalid_slug", params={"value": value})
