"""gunicorn's configuration for production: `gunicorn -c python:sentry_manager.gunicorn_conf
sentry_manager.wsgi` (the image's entrypoint does this).

gunicorn reads this module before Django starts, so the few variables below are read here
(from the environment or `.env`, as settings.py reads its own) rather than in settings.py;
`.env.example` documents them:

- `HOST` (0.0.0.0) and `PORT` (8000): where to listen.
- `WEB_CONCURRENCY`: worker processes; default 2 × CPUs + 1, at most 12 (each worker keeps a
  database connection open; count them against PostgreSQL's max_connections).
- `GUNICORN_THREADS` (1): threads per worker (above 1, gunicorn's gthread worker).
- `GUNICORN_TIMEOUT` (30 s): a worker silent this long is killed and replaced;
  `GUNICORN_GRACEFUL_TIMEOUT` (30 s): time a worker has to finish its requests on a restart.
- `GUNICORN_MAX_REQUESTS` (1000, 0 = never): a worker is replaced after this many requests
  (plus a random jitter up to a tenth), so a slow leak never grows for ever.

Anything else: gunicorn's own GUNICORN_CMD_ARGS (e.g. "--log-level warning").

The access log goes to stdout, one line per request: client address, time, method, path,
protocol, status, bytes and duration. It never contains the query string (which may carry a
token), nor any header (Authorization, Cookie): `AccessLogger` below blanks those fields even
if GUNICORN_CMD_ARGS asks for another format, and escapes control characters in the path.
"""

import os
from pathlib import Path

import environ
from gunicorn.glogging import Logger

# The same .env as settings.py (real environment variables win), so that these variables can be
# written there too.
environ.Env.read_env(
    os.environ.get("ENV_FILE", str(Path(__file__).resolve().parent.parent / ".env")),
    overwrite=False,
)


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a whole number.") from None


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this container may use
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = [f"{os.environ.get('HOST', '0.0.0.0')}:{_int('PORT', 8000)}"]
workers = _int("WEB_CONCURRENCY", min(2 * _cpus() + 1, 12))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # seconds an idle keep-alive connection stays open (gthread workers)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# Workers' heartbeat files on a memory file system (a container's /tmp may be a slow overlay).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No runtime control socket ($HOME/.gunicorn/gunicorn.ctl): nothing here uses it, the image's
# home is not writable, and several servers on one machine would share its path.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class AccessLogger(Logger):
    """gunicorn's logger, with the access log's secret-bearing fields blanked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = _printable(atoms.get("U") or "")
        safe = {
            key: value
            for key, value in atoms.items()
            # Request and response headers ({name}i, {name}o) and the WSGI environ ({name}e,
            # QUERY_STRING and HTTP_AUTHORIZATION among them) are never logged.
            if not key.startswith("{")
        }
        safe.update(
            {
                "U": path,
                "q": "-",
                "r": f"{atoms.get('m')} {path} {atoms.get('H')}",
                "f": "-",  # the Referer carries other pages' query strings
                "a": _printable(atoms.get("a") or "-"),
                "u": "-",  # from an Authorization: Basic header
            }
        )
        return safe


logger_class = AccessLogger


def _printable(text: str) -> str:
    """Control characters (a %0A in the path decodes to a newline) escaped: one line each."""
    return "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in text[:2000])
