"""Health checks for the orchestrator: liveness (`/healthz`) and readiness (`/readyz`)."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """The process is up and serving requests; touches nothing else."""
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _cache_ok() -> bool:
    try:
        from django_redis import get_redis_connection
    except ImportError:  # pragma: no cover
        get_redis_connection = None
    try:
        if get_redis_connection and hasattr(cache, "client"):
            # django-redis swallows errors of ordinary calls (a Redis outage must not fail
            # requests), so ask the connection itself.
            return bool(get_redis_connection("default").ping())
        cache.set("readyz", "1", 5)
        return cache.get("readyz") == "1"
    except Exception:
        return False


@require_GET
def readyz(request):
    """The database and the cache (Redis) are reachable: traffic may be sent here."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ready = all(checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
