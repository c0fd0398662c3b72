"""Times as people read them: "3 hours ago", with the exact ISO time in their time zone.

Values come as datetimes (our rows), ISO 8601 strings (Sentry's API) or Unix epochs (Sentry's
event JSON); `moment()` reads all three. The browser tells its time zone once (app.js sets the
`tz` cookie) and `UserTimeZoneMiddleware` shows every time of the request in it.
"""

import functools
import math
import re
import zoneinfo
from datetime import UTC, date, datetime, time

from django.utils import timezone

TIME_ZONE_COOKIE = "tz"
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+){0,2}")
_EPOCH = re.compile(r"[0-9]{1,13}(\.[0-9]{1,9})?")

# (below this many seconds, say it in this unit, of this many seconds); the last has no limit
_UNITS = (
    (90 * 60, "minute", 60),
    (36 * 3600, "hour", 3600),
    (45 * 86400, "day", 86400),
    (548 * 86400, "month", 30.44 * 86400),
    (math.inf, "year", 365.25 * 86400),
)


def moment(value) -> datetime | None:
    """An aware datetime for a datetime, a date, an ISO 8601 string or a Unix epoch (seconds,
    or milliseconds), else None."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=UTC)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not _EPOCH.fullmatch(text):
            try:
                return moment(datetime.fromisoformat(text))
            except ValueError:
                return None
        value = float(text)
    if isinstance(value, int | float) and math.isfinite(value):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def relative(when: datetime, now: datetime) -> str:
    """ "just now", "5 minutes ago", "in 3 days", "2 years ago"."""
    seconds = (now - when).total_seconds()
    if abs(seconds) < 45:
        return "just now"
    limit, unit, size = next(row for row in _UNITS if abs(seconds) < row[0])
    count = max(1, round(abs(seconds) / size))
    text = f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{text} ago" if seconds > 0 else f"in {text}"


def exact(when: datetime) -> str:
    """ISO 8601 in the active (the user's) time zone, to the second or the millisecond."""
    spec = "milliseconds" if when.microsecond else "seconds"
    return timezone.localtime(when).isoformat(timespec=spec)


def utc_iso(when: datetime) -> str:
    """ISO 8601 in UTC with a Z, for machines (a <time datetime>): `2026-11-20T09:14:03.112Z`."""
    spec = "milliseconds" if when.microsecond else "seconds"
    return when.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


@functools.lru_cache(maxsize=64)
def _zone(name: str):
    if len(name) > 64 or not _ZONE_NAME.fullmatch(name):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class UserTimeZoneMiddleware:
    """Activates the time zone the browser reported (else settings.TIME_ZONE) for pages. The
    JSON API keeps answering in UTC, whoever calls it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.COOKIES.get(TIME_ZONE_COOKIE)
        zone = _zone(name) if name and not request.path.startswith("/api/") else None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
