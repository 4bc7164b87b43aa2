"""Django settings for Accord.

Everything a deployment changes comes from the environment (``ACCORD_*`` and
``DATABASE_URL``); the defaults give the embedded demo: a SQLite file under
``var/`` and debug pages off.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ACCORD_DATA_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get(
    "ACCORD_SECRET_KEY", "insecure-demo-key-set-ACCORD_SECRET_KEY-in-production"
)
DEBUG = os.environ.get("ACCORD_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ACCORD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "accord.accounts",
    "accord.process",
    "accord.events",
    "accord.notes",
    "accord.drafting",
    "accord.meetings",
    "accord.divergences",
    "accord.channels",
    "accord.reports",
    "accord.ops",
    "accord.dashboard",
    "accord.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accord.events.middleware.FeedPositionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the exception before any other middleware's process_exception.
    "accord.web.errors.AccordErrorMiddleware",
]

ROOT_URLCONF = "accord.urls"
ASGI_APPLICATION = "accord.asgi.application"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.web.context_processors.accord",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        database: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
        if database["ENGINE"] == "django.db.backends.postgresql":
            # A pool per server process: live-feed reads and requests borrow a connection
            # for one read instead of opening one (a PostgreSQL backend process each), and
            # a burst of hundreds of streams opening waits for a free connection instead
            # of exceeding the server's max_connections.
            database.setdefault("OPTIONS", {})["pool"] = {
                "min_size": 2,
                "max_size": int(os.environ.get("ACCORD_DB_POOL_SIZE", "20")),
                "timeout": 30,
            }
            # Parameters bound by the server, and a statement prepared on its fifth use
            # per connection: the hot queries (a hotline send, the live feed's reads)
            # then skip PostgreSQL's parse and plan, about a third of its CPU for a send
            # (decision 0047). Safe with the pool above, which keeps its connections;
            # an external pooler in transaction mode would need this off.
            database["OPTIONS"]["server_side_binding"] = True
            database["OPTIONS"]["prepare_threshold"] = 5
        return database
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "accord.sqlite3",
        # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue on
        # the busy timeout instead of one failing with "database is locked" on upgrade.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # Tests run against a file, not shared-cache memory: concurrency tests and the
        # ASGI server fixture need real SQLite locking across connections.
        "TEST": {"NAME": str(DATA_DIR / "test-accord.sqlite3")},
        # Kept open by the request and live-feed threads (a fixed pool: accord/asgi.py,
        # events/hub.py). Opening a connection costs a schema read, and closing the last
        # one checkpoints and deletes the WAL: per request, that was most of its cost.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accord.accounts.backends.AccordBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "process:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fa", "فارسی"), ("ar", "العربية"), ("ur", "اردو")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [BASE_DIR / "accord" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
# Front-end assets come from the npm registry at set-up (see package.json and the
# Makefile) and are served from this machine: the platform must run air-gapped.
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Live feed: how often it looks for events committed by other processes (SQLite, or
# PostgreSQL while LISTEN is down; this process's own commits wake it at once), and how
# often an idle stream sends a keep-alive comment (seconds).
ACCORD_FEED_POLL_SECONDS = float(os.environ.get("ACCORD_FEED_POLL_SECONDS", "0.1"))
# The live feed reads the log at most once per this window (see accord/events/hub.py).
ACCORD_FEED_BATCH_SECONDS = float(os.environ.get("ACCORD_FEED_BATCH_SECONDS", "0.1"))
ACCORD_FEED_KEEPALIVE_SECONDS = float(os.environ.get("ACCORD_FEED_KEEPALIVE_SECONDS", "15"))
# A `Server-Timing` header on every answer that is not streamed: how long the request
# waited for a request thread, how long it ran there, and that thread's CPU time
# (accord/asgi.py). Off by default: it tells any client how busy the server is.
ACCORD_SERVER_TIMING = os.environ.get("ACCORD_SERVER_TIMING", "") == "1"
# Deadline sweeper interval when it runs inside `accord serve` (seconds).
ACCORD_SWEEP_SECONDS = float(os.environ.get("ACCORD_SWEEP_SECONDS", "30"))
ACCORD_DEFAULT_CHARTER = BASE_DIR / "charters" / "islamabad-mou.yaml"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ACCORD_LOG_LEVEL", "WARNING")},
    "loggers": {"accord": {"level": os.environ.get("ACCORD_LOG_LEVEL", "INFO")}},
}

# Encrypts the channels' Ed25519 signing keys at rest (accord/channels/keys.py); empty:
# derived from SECRET_KEY.
ACCORD_CHANNEL_KEY_SECRET = os.environ.get("ACCORD_CHANNEL_KEY_SECRET", "")
