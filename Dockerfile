# Sentry Manager: one image for the web server and the task worker (compose.yaml runs both).
#   docker build -t sentry-manager .
#   docker run --env-file .env -p 8000:8000 sentry-manager web      (or: worker, migrate,
#   manage <command>; see sentry_manager/deploy/entrypoint.sh)
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# The locked dependencies, every file checked against its hash (nothing unpinned gets in).
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv /opt/venv \
    && pip install --require-hashes --no-deps -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock

# The server never runs as root.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin app

WORKDIR /app
COPY . .

# Production settings of the image (the env file brings the secrets): DEBUG off (the
# entrypoint's default too), static files collected here at build with hashed, compressed
# names that whitenoise serves with far-future cache headers.
ENV DEBUG=false \
    STATIC_ROOT=/app/staticfiles \
    STATICFILES_MANIFEST=true \
    PORT=8000

# collectstatic needs settings to load, not the real secrets: a throw-away key for this step.
# var/ (the default SQLite file) belongs to the app user; mount a volume there to keep it.
RUN SECRET_KEY=collectstatic-only-not-a-secret ENV_FILE=/nonexistent \
    python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /app/var \
    && chown app:app /app/var \
    && chmod 0755 /app/sentry_manager/deploy/entrypoint.sh

USER app:app
EXPOSE 8000

# /healthz answers 200 when the server and its database do (python's urllib, no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "sentry_manager.deploy.healthcheck"]

ENTRYPOINT ["/app/sentry_manager/deploy/entrypoint.sh"]
CMD ["web"]
