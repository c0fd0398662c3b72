"""Failure limits counted in the shared cache (CACHE_URL), so they hold across processes.

A `FailureLimit` allows `limit` failures per key in fixed windows of `window` seconds; past
that, the key is refused until the window ends. Only failures cost a cache write; asking
whether a key is refused costs one read.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from . import counters


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or behind NUM_PROXIES trusted proxies the address
    the first of them saw (X-Forwarded-For, counted from the right)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "unknown"


@dataclass(frozen=True)
class FailureLimit:
    name: str
    limit: int
    window: int  # seconds

    def _key(self, who: str, now: float) -> tuple[str, float]:
        index = int(now // self.window)
        digest = hashlib.sha256(who.encode("utf-8", "replace")).hexdigest()[:32]
        return f"failures:{self.name}:{index}:{digest}", (index + 1) * self.window - now

    def retry_after(self, who: str) -> int | None:
        """Seconds until `who` may try again, or None when it may now."""
        if not self.limit:
            return None
        key, left = self._key(who, time.time())
        if (cache.get(key) or 0) >= self.limit:
            return max(1, int(left) + 1)
        return None

    def record_failure(self, who: str) -> int | None:
        """Count one failure; the seconds to wait when it used up the limit, else None."""
        if not self.limit:
            return None
        key, left = self._key(who, time.time())
        [count] = counters.increment({key: int(left) + 2})
        return max(1, int(left) + 1) if count >= self.limit else None


def wait_in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"
