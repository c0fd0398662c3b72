"""Counters in the shared cache (CACHE_URL): written in batches, several in one round trip.

`increment` adds to several counters at once. Django's cache API increments one key per call,
and its Redis backend spends two round trips on each (EXISTS, then INCR) after building a new
client object (about 50 µs of CPU); here, with Redis, the counters are one script call (one
command, one round trip) over a client kept per process — its connection pool is the cache's
own, and redis-py's pool reconnects after a fork. Other backends (the local-memory default) use
the cache API. Values stay plain integers, as Django's Redis backend stores them, so
`cache.get` reads them back.

`tally` counts in this process and writes to the shared cache in batches: on a busy node,
one round trip a second (or every `batch` counts of a key) instead of one a request. Each
count reaches the shared cache within `Tally.MAX_AGE` seconds — from the next count, a timer
when the process goes quiet, or at exit — so a quiet key is counted as it goes, and a counter
read by every node (a rate limit) is off by at most `batch - 1` per process.
"""

import atexit
import contextlib
import os
import threading
import time
import weakref

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

# KEYS are the counters; ARGV their increments, then their lifetimes in seconds (set when a
# counter is created by this call).
INCREMENT_SCRIPT = """
local values = {}
local count = #KEYS
for i, key in ipairs(KEYS) do
  local by = tonumber(ARGV[i])
  values[i] = redis.call('INCRBY', key, by)
  if values[i] == by then redis.call('EXPIRE', key, ARGV[count + i]) end
end
return values
"""
_scripts = weakref.WeakKeyDictionary()  # cache backend → its script


def _redis_script(backend: RedisCache):
    script = _scripts.get(backend)
    if script is None:
        # On the write client of Django's backend (its first server), built once.
        script = backend._cache.get_client(write=True).register_script(INCREMENT_SCRIPT)
        _scripts[backend] = script
    return script


def cache_is_shared(alias: str = "default") -> bool:
    """Whether other processes see this cache (Redis, Memcached, a database or file cache) —
    the local-memory default is one process's own."""
    return not isinstance(caches[alias], LocMemCache | DummyCache)


def increment(lifetimes: dict[str, int], by: dict[str, int] | None = None, backend=None):
    """Add to each counter of `lifetimes` (counter → seconds it lives once created) one, or
    its number in `by`, and return their new values, in order."""
    by = by or {}
    backend = backend or caches["default"]
    if isinstance(backend, RedisCache):
        keys = [backend.make_key(key) for key in lifetimes]
        amounts = [by.get(key, 1) for key in lifetimes]
        return _redis_script(backend)(keys=keys, args=[*amounts, *lifetimes.values()])
    return [
        _increment_one(backend, key, by.get(key, 1), timeout) for key, timeout in lifetimes.items()
    ]


def _increment_one(backend, key: str, amount: int, timeout: int) -> int:
    try:
        return backend.incr(key, amount)
    except ValueError:  # missing, or expired since: start it (another process may just have)
        if backend.add(key, amount, timeout):
            return amount
        return backend.incr(key, amount)


class Tally:
    MAX_AGE = 1.0  # seconds a count may wait in this process
    KNOWN_LIMIT = 10_000  # shared values remembered, for the estimates

    def __init__(self):
        self._reset()

    def _reset(self):
        self._lock = threading.Lock()
        self._pending: dict[str, int] = {}
        self._lifetimes: dict[str, int] = {}
        self._known: dict[str, int] = {}  # shared values read back by the last writes
        self._oldest = None  # when the oldest pending count was made (monotonic)
        self._timer = None
        # The cache of the thread that counted: Django's are per thread, and the timer's
        # thread would open a connection pool of its own each time.
        self._backend = None

    def add(self, key: str, lifetime: int, batch: int = 1) -> int:
        """Count one for `key` and return its estimated total across processes: the shared
        value this process last read plus its counts not written yet."""
        with self._lock:
            pending = self._pending[key] = self._pending.get(key, 0) + 1
            self._lifetimes[key] = lifetime
            if self._backend is None:
                self._backend = caches["default"]
            now = time.monotonic()
            if self._oldest is None:
                self._oldest = now
            due = pending >= batch or now - self._oldest >= self.MAX_AGE
            if not due:
                self._start_timer()
                return self._known.get(key, 0) + pending
        return self.flush().get(key, 0)

    def discard(self):
        """Forget the counts not written yet (a test's, when the cache is emptied)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        self._reset()

    def _start_timer(self):
        if self._timer is None:
            self._timer = threading.Timer(self.MAX_AGE, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> dict[str, int]:
        """Write every pending count in one round trip; the new shared values by key."""
        with self._lock:
            pending, lifetimes, backend = self._pending, self._lifetimes, self._backend
            self._pending, self._lifetimes, self._oldest, self._backend = {}, {}, None, None
            if self._timer is not None and self._timer is not threading.current_thread():
                self._timer.cancel()
            self._timer = None
        if not pending:
            return {}
        try:
            values = dict(zip(pending, increment(lifetimes, pending, backend), strict=True))
        except Exception:
            with self._lock:  # the cache is down: keep the counts for the next write
                for key, number in pending.items():
                    self._pending[key] = self._pending.get(key, 0) + number
                    self._lifetimes[key] = lifetimes[key]
                if self._oldest is None:
                    self._oldest = time.monotonic()
                self._backend = self._backend or backend
            raise
        with self._lock:
            if len(self._known) > self.KNOWN_LIMIT:
                self._known.clear()
            self._known.update(values)
        return values


tally = Tally()
# A forked child (a gunicorn worker) starts empty: its parent's timer thread is gone, and a lock
# another thread held at the fork would never be released.
os.register_at_fork(after_in_child=tally._reset)


@atexit.register
def _flush_at_exit():
    with contextlib.suppress(Exception):  # the cache may be gone by then
        tally.flush()
