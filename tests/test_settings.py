"""The two ways to run: the embedded default with no variable set, production with them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "channels": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "payments": settings.PAYMENT_PROVIDER,
    "debug": settings.DEBUG,
    "graphiql": settings.GRAPHIQL_ENABLED,
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "secure_cookies": [getattr(settings, "SESSION_COOKIE_SECURE", False),
                       getattr(settings, "CSRF_COOKIE_SECURE", False)],
    "proxy_header": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "cors": settings.CORS_ALLOWED_ORIGINS,
    "hosts": settings.ALLOWED_HOSTS,
}))
"""

SETTING_VARIABLES = [
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "PAYMENT_PROVIDER",
    "CORS_ALLOWED_ORIGINS",
    "GRAPHIQL_ENABLED",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_HOST",
    "SECURE_SSL_REDIRECT",
]


def probe(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
    clean["DJANGO_SETTINGS_MODULE"] = "backend.settings"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_with_no_variable_set():
    s = probe()
    assert s["db"] == "django.db.backends.sqlite3"
    assert s["db_options"]["transaction_mode"] == "IMMEDIATE"
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["eager"] is True
    assert s["channels"] == "channels.layers.InMemoryChannelLayer"
    assert s["payments"] == "dev"
    assert s["debug"] is True and s["graphiql"] is True
    assert s["ssl_redirect"] is False


def test_production_services_and_safety():
    s = probe(
        DATABASE_URL="postgres://app:pw@db:5432/rental",
        REDIS_URL="redis://cache:6379/0",
        SECRET_KEY="a-real-secret",
        STRIPE_SECRET_KEY="sk_test_123",
        ALLOWED_HOSTS="api.example.com",
        CORS_ALLOWED_ORIGINS="https://www.example.com,https://m.example.com",
    )
    assert s["db"] == "django.db.backends.postgresql"
    assert "statement_timeout" in s["db_options"]["options"]
    assert s["cache"] == "django_redis.cache.RedisCache"
    assert s["eager"] is False and s["broker"] == "redis://cache:6379/0"
    assert s["channels"] == "channels_redis.core.RedisChannelLayer"
    assert s["payments"] == "stripe"
    assert s["debug"] is False and s["graphiql"] is False
    assert s["ssl_redirect"] is True and s["hsts"] >= 31_536_000
    assert s["secure_cookies"] == [True, True]
    assert s["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["cors"] == ["https://www.example.com", "https://m.example.com"]
    assert s["hosts"] == ["api.example.com"]


def test_graphiql_can_be_enabled_in_production():
    s = probe(DATABASE_URL="postgres://x@db/x", SECRET_KEY="k", GRAPHIQL_ENABLED="1")
    assert s["debug"] is False and s["graphiql"] is True


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        probe(DATABASE_URL="postgres://x@db/x")


def test_a_malformed_boolean_is_an_error_not_a_guess():
    with pytest.raises(RuntimeError, match="DEBUG must be a boolean"):
        probe(DEBUG="maybe")
