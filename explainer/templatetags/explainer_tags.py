"""Template helpers of the explainer pages."""

from datetime import datetime

from django import template

from .. import issue_facts
from ..events import iso_time

register = template.Library()


@register.filter
def iso(value) -> str:
    """A time as ISO 8601 in UTC (`2026-11-20T09:14:03Z`), whatever Sentry or Django gave."""
    if isinstance(value, datetime):
        value = value.isoformat()
    return iso_time(value)


@register.filter
def statements(facts) -> list[str]:
    """What an issue's facts say, one sentence each ("only on browser Safari 17.1 ...")."""
    return issue_facts.statements(facts or {})
