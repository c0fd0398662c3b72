"""Small readers of untrusted JSON values: bounded text, typed containers, ISO 8601 times."""

from datetime import UTC, datetime

MAX_STRING = 4000


def text(value, limit=MAX_STRING) -> str:
    if value is None:
        return ""
    value = value if isinstance(value, str) else str(value)
    if len(value) > limit:
        value = f"{value[:limit]}… [{len(value) - limit} more characters]"
    return value


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def values_of(container) -> list:
    """`{"values": [...]}` or a bare list."""
    if isinstance(container, dict):
        return as_list(container.get("values"))
    return as_list(container)


def as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def iso_time(value) -> str:
    """Any time Sentry sends (Unix seconds or milliseconds, ISO 8601 with or without a zone)
    as ISO 8601 in UTC: `2026-11-20T09:14:03.112Z`. Text that is no time is returned as is."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    moment = None
    if isinstance(value, int | float) or (isinstance(value, str) and _is_number(value)):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds (JavaScript's Date.now())
            seconds /= 1000
        try:
            moment = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return text(value, 40)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return text(value, 40)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # Sentry's naive times are UTC
    else:
        return text(value, 40)
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
