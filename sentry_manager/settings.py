"""Settings for Sentry Manager.

Every value comes from the environment or from `.env` (django-environ), and every variable
read here is documented in `.env.example`. Code elsewhere reads `django.conf.settings`.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# Real environment variables win over `.env`, so CI and production can override it.
environ.Env.read_env(env("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
ALLOW_SIGNUP = env.bool("ALLOW_SIGNUP", default=DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "sentry_manager.apps.SentryManagerConfig",
    "projects",
    "integrations",
    "explainer",
]

MIDDLEWARE = [
    "sentry_manager.lib.errors.ApiNotFoundMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sentry_manager.lib.request_guard.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sentry_manager.lib.times.UserTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "projects.teams.current.CurrentTeamMiddleware",
    "projects.audit.services.AuditMiddleware",
    "sentry_manager.monitoring.context.SentryContextMiddleware",
]

ROOT_URLCONF = "sentry_manager.urls"
WSGI_APPLICATION = "sentry_manager.wsgi.application"
ASGI_APPLICATION = "sentry_manager.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sentry_manager.context_processors.site",
                "projects.teams.current.teams",
            ],
        },
    },
]

# Widgets render with the project's templates too (templates/projects/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + immediate transactions let the web server and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    # A ping before each request's first query; off by default (a round trip per request).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
        "DATABASE_CONN_HEALTH_CHECKS", default=False
    )
    # Server-side parameters let PostgreSQL keep the plan of a statement a connection runs
    # again and again (the config endpoint's lookup plans slower than it runs). Turn it off
    # behind a pooler in transaction mode that cannot keep prepared statements.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
        "DATABASE_PREPARED_STATEMENTS", default=True
    ):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
# Reusing connections saves opening one per request (the config endpoint's budget needs it).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://sentry-manager")}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's ModelBackend behind the failed-login limits (sentry_manager/lib/login_throttle.py).
AUTHENTICATION_BACKENDS = ["sentry_manager.lib.login_throttle.ThrottledModelBackend"]
# Mail: password reset links and team invitations. Without EMAIL_URL (smtp://user:pw@host:587,
# smtp+tls://..., consolemail:// for development) password reset by email is not offered and
# invitation links are shown to copy instead of mailed.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:  # without it, nothing sends mail (Django's default mailer is left alone)
    _mail = env.email_url_config(EMAIL_URL)
    _options = {
        "host": _mail.get("EMAIL_HOST"),
        "port": _mail.get("EMAIL_PORT"),
        "username": _mail.get("EMAIL_HOST_USER"),
        "password": _mail.get("EMAIL_HOST_PASSWORD"),
        "use_tls": _mail.get("EMAIL_USE_TLS"),
        "use_ssl": _mail.get("EMAIL_USE_SSL"),
    }
    _smtp = _mail["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    MAILERS = {
        "default": {
            "BACKEND": _mail["EMAIL_BACKEND"],
            "OPTIONS": {k: v for k, v in _options.items() if v not in (None, "")} if _smtp else {},
        }
    }
PASSWORD_RESET_BY_EMAIL = bool(EMAIL_URL)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="sentry-manager@localhost")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where `collectstatic` writes (the image: /app/staticfiles, outside var/ so that var/ can be a
# volume).
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Hashed file names (cached for a year by browsers) from the manifest `collectstatic` writes:
# on in the image, which collects at build. Pages fail without the manifest, so it is off by
# default (`make run`, tests, a checkout that has not run collectstatic).
STATICFILES_MANIFEST = env.bool("STATICFILES_MANIFEST", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATICFILES_MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Serve files straight from the finders when collectstatic has not run (tests, `make run`).
WHITENOISE_USE_FINDERS = True

# --- Security -------------------------------------------------------------------------------
# The policy holds in development too, so a page that breaks it breaks while it is written.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # Swagger UI and ReDoc set inline styles; no script can run from a style.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # Preloading is a commitment for the whole domain, so it stays the operator's choice.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # /healthz answers load balancers over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Encryption of stored secrets (integrations.crypto) ------------------------------------
# Current AES-256-GCM key (base64 of 32 bytes) and older keys kept only to decrypt.
ENCRYPTION_KEY = env("ENCRYPTION_KEY", default="")
ENCRYPTION_OLD_KEYS = env.list("ENCRYPTION_OLD_KEYS", default=[])

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The API key comes first so that a request without credentials gets a 401 with
    # `WWW-Authenticate: Bearer`; browsers and the docs use the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "projects.keys.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["projects.keys.authentication.PolicyPermission"],
    "DEFAULT_PARSER_CLASSES": ["sentry_manager.lib.parsers.JsonParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "sentry_manager.lib.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "sentry_manager.lib.schema.ApiAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests a minute each API key may make to the config endpoint (0: no limit).
CONFIG_ENDPOINT_RATE_PER_MINUTE = env.int("CONFIG_ENDPOINT_RATE_PER_MINUTE", default=600)
# Seconds browsers and caches may keep a browser loader (/js/<loader id>.js): how long a new
# sample rate, or a revoked loader id, may take to reach every page.
LOADER_CACHE_MAX_AGE = env.int("LOADER_CACHE_MAX_AGE", default=60)

SPECTACULAR_SETTINGS = {
    "TITLE": "Sentry Manager API",
    "DESCRIPTION": "Projects, Sentry integrations, config for applications and AI explanations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {"name": "projects", "description": "Projects (one per application)."},
        {"name": "keys", "description": "API keys: the key itself only in the POST answers."},
        {"name": "integrations", "description": "A project's Sentry integrations."},
        {"name": "config", "description": "The config endpoint applications call."},
        {"name": "explainer", "description": "Sentry issues, imported events, explanations."},
        {"name": "webhooks", "description": "Sentry integration-platform webhooks (signed)."},
    ],
    # The config endpoint is a plain Django view (the hot path): documented by a hook.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integrations.config_schema.document_config_endpoint",
        "sentry_manager.lib.schema.forbid_nul_in_input",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler would print each of its lines a second time through
        # the root handler (DEBUG on, as with `make run`): they reach the root's only.
        "django": {"handlers": [], "propagate": True},
        # runserver's request lines, as Django formats them (configuring "django" resets it).
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}
CSRF_FAILURE_VIEW = "sentry_manager.lib.errors.csrf_failure"

# --- Explainer: Sentry web API client and LLM context ---------------------------------------
SENTRY_API_CACHE_SECONDS = env.int("SENTRY_API_CACHE_SECONDS", default=60)
SENTRY_API_CONNECT_TIMEOUT = env.float("SENTRY_API_CONNECT_TIMEOUT", default=5.0)
SENTRY_API_READ_TIMEOUT = env.float("SENTRY_API_READ_TIMEOUT", default=15.0)
SENTRY_API_MAX_RETRIES = env.int("SENTRY_API_MAX_RETRIES", default=2)
SENTRY_API_BACKOFF_SECONDS = env.float("SENTRY_API_BACKOFF_SECONDS", default=0.5)
SENTRY_API_MAX_RETRY_AFTER = env.float("SENTRY_API_MAX_RETRY_AFTER", default=10.0)
EXPLAINER_TOKEN_BUDGET = env.int("EXPLAINER_TOKEN_BUDGET", default=12000)
EVENT_IMPORT_MAX_BYTES = env.int("EVENT_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# A pasted event (form field) or an event JSON body of up to EVENT_IMPORT_MAX_BYTES must fit.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, EVENT_IMPORT_MAX_BYTES + 65_536)

# A running explanation is failed ("retry") when its worker has not written a heartbeat for
# EXPLANATION_HEARTBEAT_TIMEOUT seconds (it died) or it ran longer than EXPLANATION_TIMEOUT.
EXPLANATION_TIMEOUT = env.int("EXPLANATION_TIMEOUT", default=600)
EXPLANATION_HEARTBEAT_TIMEOUT = env.float("EXPLANATION_HEARTBEAT_TIMEOUT", default=60.0)

# --- AI explanations (explainer/llm.py); no API key = the built-in analysis ------------------
OPENAI_API_KEY = env("OPENAI_API_KEY", default="")
OPENAI_MODEL = env("OPENAI_MODEL", default="gpt-4o-mini")
OPENAI_BASE_URL = env("OPENAI_BASE_URL", default="")
OPENAI_TIMEOUT = env.float("OPENAI_TIMEOUT", default=60.0)
# Oldest Sentry-Hook-Timestamp (seconds) a webhook may carry before it is refused as stale.
SENTRY_WEBHOOK_MAX_AGE = env.int("SENTRY_WEBHOOK_MAX_AGE", default=300)

# --- Throttles of failures, counted in CACHE_URL (sentry_manager/lib/throttle.py) ----------
# Failed logins allowed per account and per client address in each window; past that, logins
# are refused (the password is not even checked) until the window ends. 0: no limit.
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=10)
LOGIN_FAILURES_PER_IP = env.int("LOGIN_FAILURES_PER_IP", default=50)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)
# Failed API key authentications allowed per client address in each window (then 429).
API_KEY_FAILURES_PER_IP = env.int("API_KEY_FAILURES_PER_IP", default=50)
API_KEY_FAILURE_WINDOW_SECONDS = env.int("API_KEY_FAILURE_WINDOW_SECONDS", default=300)
# Reverse proxies in front of the server: the client address is then read from
# X-Forwarded-For, this many entries from the right. 0: REMOTE_ADDR.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# --- Outbound requests carrying a secret (sentry_manager/lib/outbound.py) -------------------
# The Sentry API URL and OPENAI_BASE_URL may only reach public addresses, unless a host name
# (".example.com" for its subdomains) or a network (CIDR) is allowed here, e.g. for a
# self-hosted Sentry on the private network or a local model server.
OUTBOUND_ALLOWED_HOSTS = env.list("OUTBOUND_ALLOWED_HOSTS", default=[])
OUTBOUND_ALLOWED_NETWORKS = env.list("OUTBOUND_ALLOWED_NETWORKS", default=[])
for _network in OUTBOUND_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network.strip(), strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"OUTBOUND_ALLOWED_NETWORKS: {_network!r} is not a network such as 10.0.0.0/8."
        ) from _error

# --- Self-monitoring with sentry-sdk (sentry_manager/monitoring/) ---------------------------
# Off unless APP_SENTRY_DSN is set: without it the SDK is never initialised and sends nothing.
APP_SENTRY_DSN = env("APP_SENTRY_DSN", default="")
APP_SENTRY_ENVIRONMENT = env(
    "APP_SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"
)
# Empty: "sentry-manager@<package version>+<git sha>" (see monitoring.default_release).
APP_SENTRY_RELEASE = env("APP_SENTRY_RELEASE", default="")
APP_SENTRY_TRACES_SAMPLE_RATE = env.float("APP_SENTRY_TRACES_SAMPLE_RATE", default=0.1)
APP_SENTRY_PROFILES_SAMPLE_RATE = env.float("APP_SENTRY_PROFILES_SAMPLE_RATE", default=0.0)

# --- Pruning what accumulates (`manage.py prune`, sentry_manager/prune.py) ------------------
# Days kept: handled webhook deliveries (their Request-IDs stop replays, and a delivery older
# than SENTRY_WEBHOOK_MAX_AGE is refused anyway), finished task results of the worker, and
# invitations after they were accepted, withdrawn or expired. Expired sessions go at once;
# key usage keeps 90 days (projects.keys.usage). The audit log and explanations are never pruned.
PRUNE_WEBHOOK_DELIVERIES_DAYS = env.int("PRUNE_WEBHOOK_DELIVERIES_DAYS", default=30)
PRUNE_FINISHED_TASKS_DAYS = env.int("PRUNE_FINISHED_TASKS_DAYS", default=14)
PRUNE_INVITATIONS_DAYS = env.int("PRUNE_INVITATIONS_DAYS", default=30)
# Hours between the prune runs the task worker schedules for itself (0: not scheduled; run
# `manage.py prune` from cron instead).
PRUNE_INTERVAL_HOURS = env.int("PRUNE_INTERVAL_HOURS", default=24)
for _name in (
    "PRUNE_WEBHOOK_DELIVERIES_DAYS",
    "PRUNE_FINISHED_TASKS_DAYS",
    "PRUNE_INVITATIONS_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(
            f"{_name} must be at least 1 (days kept), not {globals()[_name]}."
        )
if PRUNE_INTERVAL_HOURS < 0:
    raise ImproperlyConfigured("PRUNE_INTERVAL_HOURS must be 0 (off) or a number of hours.")
