"""Shuangliang settings: one module, configured by environment variables.

Every knob is read here from the environment; nothing exists only in production.
See README.md ("Configuration") for the table of variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHUANGLIANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
PRODUCTION = env_bool("SHUANGLIANG_PRODUCTION", False)

# A known placeholder is refused everywhere; an absent key is refused in production.
INSECURE_KEYS = {"", "changeme", "change-me", "secret", "django-insecure"}
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION and (SECRET_KEY.strip().lower() in INSECURE_KEYS or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")
if not SECRET_KEY:
    # Development and tests only: a per-checkout key kept under var/.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shuangliang.core",
    "shuangliang.register",
    "shuangliang.campaign",
    "shuangliang.doublebright",
    "shuangliang.appeals",
    "shuangliang.public",
    "shuangliang.backoffice",
    "shuangliang.statistics",
    "shuangliang.notices",
    "shuangliang.api",
    "shuangliang.standards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shuangliang.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shuangliang.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "shuangliang.urls"
WSGI_APPLICATION = "shuangliang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shuangliang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "shuangliang.core.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # No JIT compilation: on the dashboard's aggregates over a province PostgreSQL's cost
    # estimate triggers it, and compiling took longer than it saved (0.37 s of a 1.0 s query
    # at 200,000 enterprises). PG_JIT=on keeps the server's default.
    if "postgresql" in DATABASES["default"]["ENGINE"] and os.environ.get("PG_JIT") != "on":
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
    # Prepared statements, for the few queries run through a server-binding cursor (the public
    # union page's, core/prepared.py; Django's own cursors are never prepared):
    # planned once per connection instead of on every scan. PG_PREPARE=off behind a
    # transaction-mode pooler older than PgBouncer 1.21.
    if "postgresql" in DATABASES["default"]["ENGINE"] and os.environ.get("PG_PREPARE") != "off":
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "shuangliang.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the
                # busy timeout instead of failing with "database is locked" on upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH") or None},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The dashboard's covering indexes (register migration 0010) carry their counted columns on
# PostgreSQL; on SQLite they are plain indexes of their key columns, as intended, which is
# what this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Each process keeps its own in-memory cache: nothing to run beside the database. What is
# cached must therefore stay correct without cross-process deletes; the public union page
# keys its content on version stamps read from the database (shuangliang/public/page_cache.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shuangliang",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", 5000))},
    }
}
# How long a public union page's rendered content may be reused; 0 turns the cache off.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", 300))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# An account refuses logins for this many minutes after this many failures (QUALITY.md E1).
LOGIN_LOCKOUT_FAILURES = int(os.environ.get("LOGIN_LOCKOUT_FAILURES", 5))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15))
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "shuangliang" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "shuangliang" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded media (photos, evidence, attachments, printed batches) on disk under MEDIA_ROOT,
# or with MEDIA_STORAGE=s3 in a private bucket of any S3-compatible store (MinIO, Ceph,
# Alibaba OSS, Tencent COS, AWS). No media file is ever linked directly: every download goes
# through a view that checks access, so the bucket stays private.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "disk")
if MEDIA_STORAGE == "s3":
    if not os.environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL).")
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        },
    }
elif MEDIA_STORAGE == "disk":
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'disk' or 's3'.")
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, whitenoise serves straight from the apps' static folders, and looks
# at them again on each request: a file edited while `make run` runs is served whole (with
# the index taken at start-up it was cut to its old length).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Security headers and cookies (QUALITY.md F1).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# The load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Logs go to the console (systemd's journal in a deployment), one line per record, with the
# request id; LOG_FORMAT=json writes JSON lines for a log collector. Every handler masks
# personal data (phones, identity numbers, e-mail addresses, tokens in paths): core/logs.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "shuangliang.core.logs.JsonFormatter"},
    },
    "filters": {"personal_data": {"()": "shuangliang.core.logs.PersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "plain",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

# Domain settings.
# A re-election warning appears this many days before a union committee's term lapses.
REELECTION_WARNING_DAYS = int(os.environ.get("REELECTION_WARNING_DAYS", 180))
# Rows at which an import is refused outright, to keep memory bounded.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 200_000))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))

# Background work (imports, batch printing) runs as django-tasks tasks. The database backend
# keeps the queue in our own database and needs a worker (`manage.py db_worker`, started by
# `make run`); "immediate" runs each task inside the request that asks for it (tests, or a
# machine where no worker can run).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
# Retention of working files that hold personal data (core/retention.py).
IMPORT_RETENTION_DAYS = int(os.environ.get("IMPORT_RETENTION_DAYS", 30))
PRINT_BATCH_RETENTION_DAYS = int(os.environ.get("PRINT_BATCH_RETENTION_DAYS", 30))
# What `manage.py run_daily` runs, in order (cron or deploy/shuangliang-daily.timer).
DAILY_COMMANDS = [
    "appeals_daily",
    "appeals_purge",
    "take_snapshots",
    "purge_working_files",
]
if os.environ.get("TASKS_BACKEND", "database") == "database":
    DAILY_COMMANDS.append("prune_db_task_results --min-age-days 30 --failed-min-age-days 90")
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "database")],
        "QUEUES": ["default"],
    }
}
LIST_PAGE_SIZE = 50

# The REST API (shuangliang/api): authentication, permissions and parsers are set on its base
# view; these are the project-wide defaults of Django REST framework and drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shuangliang API",
    "DESCRIPTION": "The register, statistics and public data of the Double Bright platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choices stay inline in each field: the pages' forms and the models share choice sets
    # under the same field names, which enum components would have to rename.
    "POSTPROCESSING_HOOKS": [],
    # Swagger UI's files ship with drf-spectacular-sidecar: no CDN (intranet deployments).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# An API token lives at most this many days (QUALITY.md: secrets expire).
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", 365))
