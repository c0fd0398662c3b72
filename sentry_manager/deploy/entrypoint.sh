#!/bin/sh
# The image's entrypoint (usable on any server too): `entrypoint.sh web | worker | migrate |
# manage <command> | <any program>`. Production defaults; the environment (or an env file)
# brings the secrets: SECRET_KEY, ENCRYPTION_KEY, ALLOWED_HOSTS, DATABASE_URL, CACHE_URL.
#
#   web      gunicorn with sentry_manager/gunicorn_conf.py (HOST, PORT, WEB_CONCURRENCY, ...);
#            runs `migrate` first when MIGRATE_ON_START=true. Extra arguments go to gunicorn.
#   worker   the task worker (`manage.py db_worker`), after queueing the daily prune task
#            unless one is queued. Extra arguments go to db_worker.
#   migrate  `manage.py migrate --no-input` (compose runs it once before web and worker).
#   manage   any management command, e.g. `manage createsuperuser`.
#   else     run as given (e.g. `sh` for a shell in the container).
set -eu

cd "$(dirname "$0")/../.."

# Production unless told otherwise.
: "${DEBUG:=false}"
export DEBUG

command="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$command" in
  web)
    if [ "${MIGRATE_ON_START:-false}" = "true" ]; then
      python manage.py migrate --no-input
    fi
    exec gunicorn -c python:sentry_manager.gunicorn_conf sentry_manager.wsgi "$@"
    ;;
  worker)
    python manage.py prune --schedule
    exec python manage.py db_worker "$@"
    ;;
  migrate)
    exec python manage.py migrate --no-input "$@"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
