"""Settings, read from environment variables only (see README, "Configuration").

With no variable set, the embedded default runs: SQLite, local-memory cache, Celery tasks run
eagerly in process, an in-memory channel layer and the `dev` payment provider. Setting
`DATABASE_URL`, `REDIS_URL` and `STRIPE_SECRET_KEY` moves each part to its production service.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from backend.env import env_bool, env_decimal, env_int, env_list, env_str
from backend.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
# The embedded default is a development setup, so DEBUG defaults to on exactly there: a
# deployment always has DATABASE_URL and therefore never falls into debug mode by accident.
EMBEDDED = not DATABASE_URL
DEBUG = env_bool("DEBUG", EMBEDDED)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-secret-key-change-me-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    # The optimizer needs contenttypes importable (it retries the import on every field
    # otherwise: 5-10 ms a request).
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "channels",
    "strawberry_django",
    "gqlauth",
    "backend",
    "domains.users",
    "domains.properties",
    "domains.bookings",
    "domains.payments",
    "domains.reviews",
    "domains.outbox",
]

MIDDLEWARE = [
    # Request id (X-Request-ID) for the logs and the response, and one log line per request.
    "backend.middleware.RequestContextMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # After CORS, so a 429 carries the CORS headers a browser needs to read it.
    "backend.middleware.GraphQLRateLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------------------
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 10_000)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: the booking availability check and insert share an IMMEDIATE
    # transaction, so they cannot race on SQLite.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
    )
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, Celery, channels: Redis when REDIS_URL is set -----------------------------------
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "rental"),
            "OPTIONS": {
                # A Redis outage degrades to cache misses instead of failed requests.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("CACHE_KEY_PREFIX", "rental")},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = "UTC"
# Publishing a task gives up quickly when the broker is down: the outbox keeps it for later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
OUTBOX_FLUSH_INTERVAL_SECONDS = env_int("OUTBOX_FLUSH_INTERVAL_SECONDS", 30)
CELERY_BEAT_SCHEDULE: dict = {
    "outbox-flush": {
        "task": "domains.outbox.tasks.flush_outbox",
        "schedule": OUTBOX_FLUSH_INTERVAL_SECONDS,
    },
}

# --- auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCESS_TOKEN_LIFETIME = timedelta(seconds=env_int("ACCESS_TOKEN_LIFETIME_SECONDS", 300))
REFRESH_TOKEN_LIFETIME = timedelta(seconds=env_int("REFRESH_TOKEN_LIFETIME_SECONDS", 14 * 86400))
ACCOUNT_VERIFY_TOKEN_LIFETIME = timedelta(
    seconds=env_int("ACCOUNT_VERIFY_TOKEN_LIFETIME_SECONDS", 7 * 86400)
)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)


def _gql_auth_settings():
    from gqlauth.settings_type import GqlAuthSettings, id_field

    # gqlauth issues and checks the JWT access tokens and stores the refresh tokens. Its own
    # mutations are not exposed (they carry a JSON error scalar), so captcha stays off.
    return GqlAuthSettings(
        LOGIN_REQUIRE_CAPTCHA=False,
        REGISTER_REQUIRE_CAPTCHA=False,
        ALLOW_LOGIN_NOT_VERIFIED=True,
        JWT_PAYLOAD_PK=id_field,
        JWT_EXPIRATION_DELTA=ACCESS_TOKEN_LIFETIME,
        JWT_REFRESH_EXPIRATION_DELTA=REFRESH_TOKEN_LIFETIME,
        JWT_LONG_RUNNING_REFRESH_TOKEN=True,
        JWT_REFRESH_TOKEN_N_BYTES=32,
        EXPIRATION_ACTIVATION_TOKEN=ACCOUNT_VERIFY_TOKEN_LIFETIME,
    )


GQL_AUTH = _gql_auth_settings()

# --- HTTP, security --------------------------------------------------------------------------
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-request-id",
    "apollo-require-preflight",
    "x-apollo-operation-name",
)
# Only the API is cross-origin (the admin and the webhook are not); the browser may read these
# response headers.
CORS_URLS_REGEX = r"^/graphql/?$"
CORS_EXPOSE_HEADERS = ("x-request-id", "retry-after")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REQUEST_MAX_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_BYTES", 2 * 1024 * 1024)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Probes of the orchestrator speak plain HTTP inside the cluster.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# GraphiQL (and the development checkout page of the dev payment provider) only when enabled.
GRAPHIQL_ENABLED = env_bool("GRAPHIQL_ENABLED", DEBUG)

# --- files -----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    # Any Django storage (e.g. django-storages' S3 backend) is a setting away.
    "default": {"BACKEND": env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- e-mail ----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rental <no-reply@rental.localhost>")
# Where the links in e-mails point (the frontend's pages for verification and password reset).
FRONTEND_URL = env_str("FRONTEND_URL", "http://localhost:3000")

# --- payments --------------------------------------------------------------------------------
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "whsec_dev_only_insecure" if DEBUG else "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")  # e.g. a local fake Stripe server in tests
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "stripe" if STRIPE_SECRET_KEY else "dev")
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env_int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300)

# --- business rules --------------------------------------------------------------------------
SERVICE_FEE_RATE = env_decimal("SERVICE_FEE_RATE", "0.14")
BOOKING_HOLD_MINUTES = env_int("BOOKING_HOLD_MINUTES", 30)
BOOKING_MAX_DAYS_AHEAD = env_int("BOOKING_MAX_DAYS_AHEAD", 365)

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# One JSON object per line (with the request id) in production; readable text in DEBUG.
LOGGING = logging_config(
    fmt=env_str("LOG_FORMAT", "text" if DEBUG else "json"), level=env_str("LOG_LEVEL", "INFO")
)

# In development, serve the apps' static files (admin, GraphiQL) without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG

# Reviews: a guest reviews a completed stay, and the host responds, within these windows.
REVIEW_WINDOW_DAYS = env_int("REVIEW_WINDOW_DAYS", 14)
REVIEW_RESPONSE_WINDOW_DAYS = env_int("REVIEW_RESPONSE_WINDOW_DAYS", 14)

# Client addresses: how many proxies in front of the app append to X-Forwarded-For (0: use
# the socket's address). Rate limits key on this address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- accounts --------------------------------------------------------------------------------
# Rate limits of the account operations: attempts per RATE_LIMIT_WINDOW_SECONDS, counted per
# client IP and per account (the e-mail address the attempt names); 0 turns a limit off. The
# PASSWORD_RESET limits also apply, with their own counters, to verification e-mail resends.
RATE_LIMIT_WINDOW_SECONDS = env_int("RATE_LIMIT_WINDOW_SECONDS", 900)
RATE_LIMIT_LOGIN_PER_IP = env_int("RATE_LIMIT_LOGIN_PER_IP", 50)
RATE_LIMIT_LOGIN_PER_ACCOUNT = env_int("RATE_LIMIT_LOGIN_PER_ACCOUNT", 10)
RATE_LIMIT_REGISTER_PER_IP = env_int("RATE_LIMIT_REGISTER_PER_IP", 10)
RATE_LIMIT_REGISTER_PER_ACCOUNT = env_int("RATE_LIMIT_REGISTER_PER_ACCOUNT", 5)
RATE_LIMIT_PASSWORD_RESET_PER_IP = env_int("RATE_LIMIT_PASSWORD_RESET_PER_IP", 10)
RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT = env_int("RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT", 3)
RATE_LIMIT_VERIFY_PER_IP = env_int("RATE_LIMIT_VERIFY_PER_IP", 30)
RATE_LIMIT_VERIFY_PER_ACCOUNT = env_int("RATE_LIMIT_VERIFY_PER_ACCOUNT", 10)
RATE_LIMIT_PASSWORD_CHANGE_PER_ACCOUNT = env_int("RATE_LIMIT_PASSWORD_CHANGE_PER_ACCOUNT", 10)
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 5 * 1024 * 1024)
# Longest side, in pixels, of a stored avatar: uploads are re-encoded to it (dropping EXIF and
# GPS data on the way).
AVATAR_MAX_DIMENSION = env_int("AVATAR_MAX_DIMENSION", 1024)
CELERY_BEAT_SCHEDULE["purge-refresh-tokens"] = {
    "task": "domains.users.tasks.purge_refresh_tokens",
    "schedule": 24 * 3600,
}

# --- GraphQL limits, persisted queries, rate limits (see README, "Configuration") ------------
# Query limits: over-limit documents are refused before execution with QUERY_TOO_COMPLEX.
GRAPHQL_MAX_TOKENS = env_int("GRAPHQL_MAX_TOKENS", 2000)
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 10)
GRAPHQL_MAX_ALIASES = env_int("GRAPHQL_MAX_ALIASES", 15)
GRAPHQL_MAX_COST = env_int("GRAPHQL_MAX_COST", 10_000)
# What a list counts as without `first`/`last`: a connection its largest page, a plain list this.
GRAPHQL_COST_CONNECTION_SIZE = env_int("GRAPHQL_COST_CONNECTION_SIZE", 100)
GRAPHQL_COST_LIST_SIZE = env_int("GRAPHQL_COST_LIST_SIZE", 50)
# Batched requests (a JSON array of operations, Apollo's BatchHttpLink): at most this many
# operations (0 turns batching off). Each operation counts against the rate limits.
GRAPHQL_BATCH_MAX_OPERATIONS = env_int("GRAPHQL_BATCH_MAX_OPERATIONS", 10)
# On wherever GraphiQL is (it reads the schema through introspection).
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", GRAPHIQL_ENABLED)
# Per-operation figures (SQL queries, duration, cost) in the response's `extensions.metrics`.
GRAPHQL_METRICS_IN_RESPONSE = env_bool("GRAPHQL_METRICS_IN_RESPONSE", False)

# Automatic persisted queries (Apollo's protocol) in the cache; strict mode accepts only the
# operations of the manifest (`manage.py persisted_queries_manifest` writes it).
GRAPHQL_APQ_ENABLED = env_bool("GRAPHQL_APQ_ENABLED", True)
GRAPHQL_APQ_TTL_SECONDS = env_int("GRAPHQL_APQ_TTL_SECONDS", 86_400)
GRAPHQL_PERSISTED_ONLY = env_bool("GRAPHQL_PERSISTED_ONLY", False)
GRAPHQL_PERSISTED_MANIFEST = env_str(
    "GRAPHQL_PERSISTED_MANIFEST", str(BASE_DIR / "persisted-queries.json")
)

# Largest multipart request (GraphQL file uploads); other bodies: REQUEST_MAX_BYTES.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 12 * 1024 * 1024)

# Rate limits of all GraphQL traffic, per window (0 turns a limit off). Requests without a
# valid access token count per client IP; signed-in ones per account; and every request
# counts against its IP's ceiling (many accounts behind one address, or one client cycling
# tokens). The accounts' own limits (sign-in, registration, ...) come on top.
RATE_LIMIT_TRAFFIC_WINDOW_SECONDS = env_int("RATE_LIMIT_TRAFFIC_WINDOW_SECONDS", 60)
RATE_LIMIT_ANONYMOUS = env_int("RATE_LIMIT_ANONYMOUS", 300)
RATE_LIMIT_USER = env_int("RATE_LIMIT_USER", 600)
RATE_LIMIT_IP = env_int("RATE_LIMIT_IP", 1200)

# --- bookings and payments: windows and schedules ---------------------------------------------
# A paid request waits this long for the host's answer before it expires (refunded in full).
BOOKING_HOST_RESPONSE_HOURS = env_int("BOOKING_HOST_RESPONSE_HOURS", 24)
# The hour (UTC) of the check-in day from which the cancellation windows are counted.
BOOKING_CHECK_IN_HOUR = env_int("BOOKING_CHECK_IN_HOUR", 15)
# Unpaid PENDING bookings one guest may hold at a time (calendar squatting).
BOOKING_MAX_PENDING_PER_GUEST = env_int("BOOKING_MAX_PENDING_PER_GUEST", 5)
BOOKING_EXPIRY_INTERVAL_SECONDS = env_int("BOOKING_EXPIRY_INTERVAL_SECONDS", 60)
BOOKING_COMPLETION_INTERVAL_SECONDS = env_int("BOOKING_COMPLETION_INTERVAL_SECONDS", 900)
# Where the dev provider posts its signed events; unset: through the webhook view in process.
DEV_PAYMENTS_WEBHOOK_URL = env_str("DEV_PAYMENTS_WEBHOOK_URL")
CELERY_BEAT_SCHEDULE.update(
    {
        "bookings-expire-holds": {
            "task": "domains.bookings.tasks.expire_holds",
            "schedule": BOOKING_EXPIRY_INTERVAL_SECONDS,
        },
        "bookings-complete-stays": {
            "task": "domains.bookings.tasks.complete_stays",
            "schedule": BOOKING_COMPLETION_INTERVAL_SECONDS,
        },
    }
)

# Listings: photo uploads, prices, calendars and search. Every limit here answers bad input with
# a typed error (a payload's INVALID/FILE_TOO_LARGE/LIMIT_EXCEEDED or a top-level BAD_USER_INPUT).
PROPERTY_PHOTO_MAX_BYTES = env_int("PROPERTY_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
PROPERTY_PHOTOS_MAX = env_int("PROPERTY_PHOTOS_MAX", 30)
LISTING_MAX_PRICE = env_decimal("LISTING_MAX_PRICE", "1000000")
CALENDAR_MAX_WINDOW_DAYS = env_int("CALENDAR_MAX_WINDOW_DAYS", 366)
CALENDAR_MAX_DAYS_AHEAD = env_int("CALENDAR_MAX_DAYS_AHEAD", 730)
SEARCH_MAX_RADIUS_KM = env_int("SEARCH_MAX_RADIUS_KM", 500)
SEARCH_MAX_NIGHTS = env_int("SEARCH_MAX_NIGHTS", 365)
SEARCH_TEXT_MAX_CHARS = env_int("SEARCH_TEXT_MAX_CHARS", 200)
AMENITY_CACHE_SECONDS = env_int("AMENITY_CACHE_SECONDS", 86_400)
