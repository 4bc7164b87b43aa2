"""Django settings for Accord.

Everything a deployment changes comes from the environment (``ACCORD_*`` and
``DATABASE_URL``); the defaults give the embedded demo: a SQLite file under
``var/``, debug pages off, and secrets generated once per installation in the data
directory. ``ACCORD_ENV=production`` turns on the production settings (secure cookies,
HSTS, secrets required from the environment; see docs/deployment.md and
``accord/installation.py``).
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from accord import installation

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ACCORD_DATA_DIR", BASE_DIR / "var"))

ACCORD_ENV = installation.installation_mode(os.environ)
PRODUCTION = ACCORD_ENV == "production"
DEBUG = os.environ.get("ACCORD_DEBUG", "") == "1"
if PRODUCTION:
    ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ACCORD_ALLOWED_HOSTS", "").split(",")]
    # Every exemption the demo may grant its accounts is a setting named ACCORD_DEMO_*.
    installation.production_refusals(
        debug=DEBUG,
        allowed_hosts=ALLOWED_HOSTS,
        demo_exemptions=sorted(
            name
            for name, value in os.environ.items()
            if name.startswith("ACCORD_DEMO_") and value not in ("", "0")
        ),
    )
else:
    ALLOWED_HOSTS = os.environ.get("ACCORD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )

_SECRETS = installation.installation_secrets(os.environ, DATA_DIR, production=PRODUCTION)
SECRET_KEY = _SECRETS["ACCORD_SECRET_KEY"]
# The key of the event log's opaque cursors (accord/events/cursor.py).
ACCORD_CURSOR_SECRET = _SECRETS["ACCORD_CURSOR_SECRET"]
# Encrypts the channels' Ed25519 signing keys at rest (accord/channels/keys.py).
ACCORD_CHANNEL_KEY_SECRET = _SECRETS["ACCORD_CHANNEL_KEY_SECRET"]
# Derives the Ed25519 key that signs the event log's checkpoints (events/checkpoint.py).
ACCORD_AUDIT_KEY_SECRET = _SECRETS["ACCORD_AUDIT_KEY_SECRET"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",
    "accord.accounts",
    "accord.process",
    "accord.events",
    "accord.notes",
    "accord.drafting",
    "accord.meetings",
    "accord.divergences",
    "accord.compliance",
    "accord.channels",
    "accord.maritime",
    "accord.incidents",
    "accord.reports",
    "accord.analysis",
    "accord.deconfliction",
    "accord.security",
    "accord.geo",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accord.ops",
    "accord.dashboard",
    "accord.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "accord.web.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accord.security.middleware.SecondFactorMiddleware",
    "accord.events.middleware.FeedPositionMiddleware",
    "accord.web.timezones.ViewerTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
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
            "builtins": ["accord.web.templatetags.accord_words"],
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
# axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accord.accounts.backends.AccordBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The password policy (accord/security/passwords.py): applied by the services to every
# password they set, and by Django's own forms and commands.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accord.security.passwords.AccountLengthValidator"},
    {"NAME": "accord.security.passwords.BreachedPasswordValidator"},
]
# Demo exemptions (accord demo sets them, and the tests; production refuses every
# ACCORD_DEMO_*): the demo's accounts keep the printed password, and need no second
# factor unless they set one up.
ACCORD_DEMO_WITHOUT_PASSWORD_POLICY = (
    os.environ.get("ACCORD_DEMO_WITHOUT_PASSWORD_POLICY", "") == "1"
)
ACCORD_DEMO_WITHOUT_SECOND_FACTOR = os.environ.get("ACCORD_DEMO_WITHOUT_SECOND_FACTOR", "") == "1"

# Sign-in throttling (accord/security/throttling.py): failures counted per account and
# per address (a wrong API token counts for its address); at the limit, locked until the
# cool-off ends or an operator unlocks it.
AXES_FAILURE_LIMIT = int(os.environ.get("ACCORD_SIGNIN_FAILURE_LIMIT", "10"))
ACCORD_SIGNIN_COOLOFF_MINUTES = float(os.environ.get("ACCORD_SIGNIN_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_TIME = timedelta(minutes=ACCORD_SIGNIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accord.security.throttling.lockout_response"
AXES_VERBOSE = False
# Behind the reverse proxy (production), the client is the last address it forwards.
ACCORD_PROXY_COUNT = int(os.environ.get("ACCORD_PROXY_COUNT", "1" if PRODUCTION else "0"))
if ACCORD_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = ACCORD_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
NINJA_NUM_PROXIES = ACCORD_PROXY_COUNT
# API rate limits (ninja's throttling; counts per server process): per signed-in user
# and per address. The tests and bench/ raise them.
ACCORD_API_RATE = os.environ.get("ACCORD_API_RATE", "600/m")
ACCORD_API_ADDRESS_RATE = os.environ.get("ACCORD_API_ADDRESS_RATE", "1200/m")
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
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The map (accord.geo): Leaflet, TopoJSON's client and Natural Earth's land.
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/topojson-client", BASE_DIR / "node_modules" / "topojson-client" / "dist"),
    ("vendor/world-atlas", BASE_DIR / "node_modules" / "world-atlas"),
    # The accessibility checker the browser tests run in each page (issue 18).
    ("vendor/axe-core", BASE_DIR / "node_modules" / "axe-core"),
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

SESSION_COOKIE_HTTPONLY = True
# Pages send the CSRF token from the template (hx-headers in web/base.html), so no
# script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# The largest request body the server reads (accord/asgi.py answers 413 past it, before
# reading): five channel attachments of 5 MB, or a 20 MB Word draft as base64 in JSON,
# fit. Below it, Django's own limits: a non-file body is read into memory up to the same
# size (a JSON import); files past 2.5 MB are streamed to temporary files.
ACCORD_MAX_REQUEST_BYTES = int(os.environ.get("ACCORD_MAX_REQUEST_BYTES", str(32 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = ACCORD_MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp), in every mode: scripts, styles, fonts, images and
# connections from this origin only; no inline script or handler anywhere (the pages'
# behaviour lives in static files), no framing, no plugins. Inline *style attributes*
# stay allowed: the sponsor colour of each option is one (`style="--sponsor:…"`), and an
# attribute cannot run code. Images may be data: URIs (charts, the 2FA QR code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if PRODUCTION:
    # Behind the reverse proxy of deploy/ (TLS ends there): it sets X-Forwarded-Proto,
    # and nothing else may reach the servers (they listen on private addresses).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # __Host- cookies are refused by browsers unless Secure, for "/" and with no
    # Domain: a sibling sub-domain cannot set or shadow them.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-accord-session"
    CSRF_COOKIE_NAME = "__Host-accord-csrf"

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
# The maritime picture (docs/maritime.md): track thinning tolerances and how long the
# thinned track is kept (`accord ais prune`).
ACCORD_AIS_THINNING = {
    "max_interval_s": float(os.environ.get("ACCORD_AIS_THIN_SECONDS", "300")),
    "max_distance_nm": float(os.environ.get("ACCORD_AIS_THIN_NM", "0.5")),
    "turn_deg": float(os.environ.get("ACCORD_AIS_THIN_TURN_DEG", "15")),
    "min_interval_s": 10.0,
}
ACCORD_AIS_TRACK_RETENTION = timedelta(
    days=float(os.environ.get("ACCORD_AIS_TRACK_RETENTION_DAYS", "7"))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ACCORD_LOG_LEVEL", "WARNING")},
    "loggers": {"accord": {"level": os.environ.get("ACCORD_LOG_LEVEL", "INFO")}},
}
