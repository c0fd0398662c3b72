"""API key usage per hour, counted in the shared cache, and the anomalies it shows.

On the request path a use is counted in the process and written to the shared cache in
batches, within a second (`count`, sentry_manager.lib.counters.tally): no database query (the
config endpoint keeps its budget of two queries) and on a busy node one cache round trip a
second. A browser origin adds a cache operation the first time a process sees it in an hour.
`flush()` — a task queued when a new hour starts, and `manage.py flush_usage` — copies the
counters of the last hours into one row per key prefix and hour, raises flags and drops rows
past retention.
"""

import hashlib
import statistics
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from sentry_manager.lib import counters, pruning

from ..audit.services import record
from .models import ApiKey, KeyUsage, UsageFlag

OK, NOT_MODIFIED, OTHER = "ok", "not_modified", "other_error"
FAILED_AUTH_CODES = ("invalid_api_key", "revoked_api_key", "expired_api_key")
# Every outcome the flush reads; an error code not listed counts as OTHER.
OUTCOMES = (
    OK,
    NOT_MODIFIED,
    *FAILED_AUTH_CODES,
    "invalid_environment",
    "project_not_found",
    "project_inactive",
    "integration_not_found",
    "insufficient_key_scope",
    "throttled",
    OTHER,
)
COUNTER_SECONDS = 3 * 3600  # long enough for the flush of the hour after
BATCH = 100  # uses of a key counted in a process before they are written (or a second)
RETENTION = timedelta(days=90)
SPIKE_FACTOR, SPIKE_FLOOR = 5, 100  # an hour above 5× the trailing median and above 100
FAILED_AUTH_FLOOR = 20  # failed authentications in an hour for one prefix
NEW_ORIGIN_LOOKBACK = timedelta(days=30)


def _hour(moment) -> str:
    return moment.strftime("%Y%m%d%H")


_this_hour = [-1, ""]  # (hours since the epoch, its text): strftime once an hour, not per use


def _current_hour() -> str:
    index = int(time.time() // 3600)
    if index != _this_hour[0]:
        _this_hour[:] = index, time.strftime("%Y%m%d%H", time.gmtime(index * 3600))
    return _this_hour[1]


def _counter(prefix: str, hour: str, outcome: str) -> str:
    return f"usage:{prefix}:{hour}:{outcome}"


def count(prefix: str, outcome: str, origin: str = "") -> None:
    """One use of the key with `prefix`: OK, NOT_MODIFIED or an error code. Counted in this
    process and written to the shared cache within a second (counters.tally)."""
    if not prefix:
        return
    prefix, hour = prefix[:16], _current_hour()
    counter = _counter(prefix, hour, outcome if outcome in OUTCOMES else OTHER)
    first = counters.tally.add(counter, COUNTER_SECONDS, BATCH) == 1
    # This process's first use of a new hour; the first of all nodes flushes the hours before.
    if first and cache.add(f"usage-flush:{hour}", 1, COUNTER_SECONDS):
        _queue_flush()
    if origin:
        _note_origin(prefix, hour, origin)


_origins_seen = set()  # (prefix, hour, origin) this process has noted: one cache.add each


def _note_origin(prefix: str, hour: str, origin: str) -> None:
    if (prefix, hour, origin) in _origins_seen:
        return
    if len(_origins_seen) > 10_000:
        _origins_seen.clear()
    _origins_seen.add((prefix, hour, origin))
    digest = hashlib.sha256(origin.encode()).hexdigest()[:16]
    if cache.add(f"usage-origin:{prefix}:{hour}:{digest}", 1, COUNTER_SECONDS):
        # Each new origin gets its own numbered slot, so that no process loses one.
        slots = f"usage-origins:{prefix}:{hour}"
        [slot] = counters.increment({slots: COUNTER_SECONDS})
        cache.set(f"{slots}:{slot}", origin[:200], COUNTER_SECONDS)


def _queue_flush() -> None:
    if not counters.cache_is_shared():
        # The local-memory cache (the embedded default) is this process's own: the worker
        # could not read its counters, so this process copies them itself.
        transaction.on_commit(flush)
        return
    from .tasks import flush_usage

    transaction.on_commit(flush_usage.enqueue)


def refresh(api_key: ApiKey) -> int:
    """Bring the rows of `api_key` up to the last second, for its page (the hourly flush
    leaves the current hour in the cache)."""
    return flush(prefixes=[api_key.prefix])


# --- The flush ----------------------------------------------------------------------------------


def _counts(prefix: str, hour: str) -> tuple[dict, list]:
    names = {outcome: _counter(prefix, hour, outcome) for outcome in OUTCOMES}
    values = cache.get_many([*names.values(), f"usage-origins:{prefix}:{hour}"])
    counts = {outcome: int(values.get(name) or 0) for outcome, name in names.items()}
    slots = int(values.get(f"usage-origins:{prefix}:{hour}") or 0)
    origins = []
    if slots:
        keys = [f"usage-origins:{prefix}:{hour}:{slot}" for slot in range(1, slots + 1)]
        origins = [origin for origin in cache.get_many(keys).values() if origin]
    return {outcome: n for outcome, n in counts.items() if n}, sorted(set(origins))


def flush(now=None, prefixes=None) -> int:
    """Copy the counters of the last hours into their rows, raise flags and, for all keys,
    apply retention. Returns how many rows were written. Safe to run again (the counters are
    totals)."""
    counters.tally.flush()  # this process's own counts first
    now = now or timezone.now()
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    hours = [this_hour - timedelta(hours=back) for back in range(COUNTER_SECONDS // 3600)]
    keys = ApiKey.objects.select_related("team", "project")
    if prefixes is not None:
        keys = keys.filter(prefix__in=prefixes)
    keys = {key.prefix: key for key in keys}
    written = 0
    for prefix in prefixes or keys:
        for hour in hours:
            counts, origins = _counts(prefix, _hour(hour))
            if not counts:
                continue
            row, _ = KeyUsage.objects.update_or_create(
                prefix=prefix,
                hour=hour,
                defaults={
                    "api_key": keys.get(prefix),
                    "requests": sum(counts.values()),
                    "not_modified": counts.get(NOT_MODIFIED, 0),
                    "errors": {
                        code: n for code, n in counts.items() if code not in (OK, NOT_MODIFIED)
                    },
                    "outcomes": sorted(counts),
                    "origins": origins,
                },
            )
            written += 1
            _flag(row)
    if prefixes is None:
        prune(now)
    return written


def prune(now=None, *, dry_run=False) -> dict[str, int]:
    """Drop the usage rows and flags past RETENTION (the flush does it each hour; so does
    `manage.py prune`): how many of each, or would be with `dry_run`."""
    cutoff = (now or timezone.now()) - RETENTION
    old = {
        "key usage rows": KeyUsage.objects.filter(hour__lt=cutoff),
        "key usage flags": UsageFlag.objects.filter(hour__lt=cutoff),
    }
    return {kind: pruning.delete(rows, dry_run=dry_run) for kind, rows in old.items()}


def _raise(row: KeyUsage, kind: str, detail: str) -> None:
    try:
        with transaction.atomic():
            flag = UsageFlag.objects.create(
                prefix=row.prefix, api_key=row.api_key, hour=row.hour, kind=kind, detail=detail
            )
    except IntegrityError:
        return  # already flagged for this hour
    key = row.api_key
    record(
        "usage.flagged",
        team=key.team if key else None,
        project=key.project if key else None,
        target=key,
        changes={"kind": [None, kind], "detail": [None, detail]},
        actor_label="anomaly detection",
    )
    return flag


def _flag(row: KeyUsage) -> None:
    name = f"smk_{row.prefix}_…"
    history = list(
        KeyUsage.objects.filter(
            prefix=row.prefix, hour__lt=row.hour, hour__gte=row.hour - timedelta(days=7)
        ).values_list("requests", flat=True)
    )
    # Hours without a row had no traffic: they count as zeros in the trailing median.
    history += [0] * max(0, 7 * 24 - len(history))
    median = statistics.median(history)
    if row.requests > SPIKE_FLOOR and row.requests > SPIKE_FACTOR * median:
        _raise(
            row, UsageFlag.SPIKE, f"{name} made {row.requests} requests in an hour "
            f"({row.hour:%Y-%m-%d %H}:00 UTC); its usual hour is {median:g}."
        )  # fmt: skip
    failed = sum(n for code, n in row.errors.items() if code in FAILED_AUTH_CODES)
    if failed >= FAILED_AUTH_FLOOR:
        _raise(row, UsageFlag.FAILED_AUTH, f"{failed} failed authentications with {name} "
               f"in the hour of {row.hour:%Y-%m-%d %H}:00 UTC.")  # fmt: skip
    if row.origins:
        known = set()
        for origins in KeyUsage.objects.filter(
            prefix=row.prefix, hour__lt=row.hour, hour__gte=row.hour - NEW_ORIGIN_LOOKBACK
        ).values_list("origins", flat=True):
            known.update(origins)
        new = [origin for origin in row.origins if origin not in known]
        had_history = KeyUsage.objects.filter(prefix=row.prefix, hour__lt=row.hour).exists()
        if new and had_history:
            _raise(row, UsageFlag.NEW_ORIGIN, f"{name} was used from {', '.join(new)[:200]}.")
    key = row.api_key
    if key is not None and key.replaced_by_id and row.errors.get("expired_api_key"):
        _raise(
            row, UsageFlag.ROLLED_KEY, f"{name} was rolled, but something still sent it "
            f"{row.errors['expired_api_key']} times after its grace period."
        )  # fmt: skip


# --- Reading ------------------------------------------------------------------------------------


def daily(api_key: ApiKey, days: int = 7, now=None) -> list[tuple]:
    """(date, requests, errors) per day of the last `days` days, oldest first."""
    now = now or timezone.now()
    start = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    totals = {}
    for hour, requests, errors in KeyUsage.objects.filter(
        prefix=api_key.prefix, hour__gte=start
    ).values_list("hour", "requests", "errors"):
        day = hour.date()
        seen = totals.setdefault(day, [0, 0])
        seen[0] += requests
        seen[1] += sum(errors.values())
    return [
        (day, *totals.get(day, (0, 0)))
        for day in ((start + timedelta(days=n)).date() for n in range(days))
    ]


def top_errors(api_key: ApiKey, days: int = 7, now=None) -> list[tuple[str, int]]:
    now = now or timezone.now()
    totals = {}
    for errors in KeyUsage.objects.filter(
        prefix=api_key.prefix, hour__gte=now - timedelta(days=days)
    ).values_list("errors", flat=True):
        for code, number in errors.items():
            totals[code] = totals.get(code, 0) + number
    return sorted(totals.items(), key=lambda item: -item[1])[:5]
