"""Counters in the shared cache (CACHE_URL): several incremented in one round trip.

Django's cache API increments one key per call, and its Redis backend spends two round trips
on each (EXISTS, then INCR) after building a new client object (about 50 µs of CPU). On the
config endpoint that cost more than the database query, so with Redis the counters of a request
are one script call (one command, one round trip; a pipeline of SET NX + INCR pairs costs three
times the CPU in redis-py) over a client kept per process: its connection pool is the cache's
own, and redis-py's pool reconnects after a fork. Other backends (the local-memory default) use
the cache API. Values stay plain integers, as Django's Redis backend stores them, so
`cache.get` reads them back.
"""

import threading

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

# KEYS are the counters, ARGV their lifetimes in seconds, set when a counter is created.
INCREMENT_SCRIPT = """
local values = {}
for i, key in ipairs(KEYS) do
  values[i] = redis.call('INCR', key)
  if values[i] == 1 then redis.call('EXPIRE', key, ARGV[i]) end
end
return values
"""
_scripts = threading.local()


def _redis_script(backend: RedisCache):
    script = getattr(_scripts, "script", None)
    if script is None or _scripts.backend is not backend:
        # On the write client of Django's backend (its first server), built once.
        script = backend._cache.get_client(write=True).register_script(INCREMENT_SCRIPT)
        _scripts.script, _scripts.backend = script, backend
    return script


def increment(lifetimes: dict[str, int], alias: str = "default") -> list[int]:
    """Add one to each counter of `lifetimes` (counter → seconds it lives once created) and
    return their new values, in order."""
    backend = caches[alias]
    if isinstance(backend, RedisCache):
        keys = [backend.make_key(key) for key in lifetimes]
        return _redis_script(backend)(keys=keys, args=list(lifetimes.values()))
    return [_increment_one(backend, key, timeout) for key, timeout in lifetimes.items()]


def _increment_one(backend, key: str, timeout: int) -> int:
    try:
        return backend.incr(key)
    except ValueError:  # missing, or expired since: start it (another process may just have)
        if backend.add(key, 1, timeout):
            return 1
        return backend.incr(key)
