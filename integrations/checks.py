"""System check: the server does not start without a usable ENCRYPTION_KEY."""

from django.conf import settings
from django.core.checks import Error, register

from .crypto import key_problem, old_key_values


@register()
def check_encryption_keys(app_configs, **kwargs):
    errors = []
    problem = key_problem(getattr(settings, "ENCRYPTION_KEY", ""))
    if problem:
        errors.append(Error(problem, id="integrations.E001"))
    for index, value in enumerate(old_key_values(), start=1):
        problem = key_problem(value, f"ENCRYPTION_OLD_KEYS (key {index})")
        if problem:
            errors.append(Error(problem, id="integrations.E002"))
    return errors
