"""`{{ value|when }}`: a relative time ("3 hours ago") whose hover shows the exact ISO time in
the user's time zone; `{{ value|when:"clock" }}` shows the time of day (breadcrumbs)."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from sentry_manager.lib import times

register = template.Library()


@register.filter
def when(value, style="relative"):
    moment = times.moment(value)
    if moment is None:
        return value if value not in (None, "") else "—"
    iso = times.exact(moment)
    if style == "clock":
        text = iso[11:23] if moment.microsecond else iso[11:19]
    else:
        text = times.relative(moment, timezone.now())
    zone = timezone.get_current_timezone_name()
    return format_html(
        '<time datetime="{}" title="{} {}">{}</time>', times.utc_iso(moment), iso, zone, text
    )
