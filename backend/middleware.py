"""HTTP middleware: request ids and request logs; rate limits of the GraphQL endpoint."""

import json
import logging
import time
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from backend.client_ip import client_ip
from backend.logging import request_id_from, request_id_var
from domains.shared import ratelimit
from domains.shared.errors import ErrorCode, RateLimited

request_logger = logging.getLogger("http.request")
logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


class RequestContextMiddleware:
    """Gives every request an id (the client's X-Request-ID when sane, else a new one), puts
    it on every log record of the request and on the response, and logs one line per
    request (method, path, status, duration)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration = (time.perf_counter() - start) * 1000
            request_logger.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                duration,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration, 2),
                    "client_ip": client_ip(request),
                    "user_id": getattr(request, "rate_limit_user_id", None),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# --- rate limits -----------------------------------------------------------------------------


@cache
def _graphql_path() -> str:
    return reverse("graphql")


def _user_id(request: HttpRequest) -> str | None:
    """The account a valid access token names (signature and expiry checked, no query)."""
    from schema.context import bearer_token

    token = bearer_token(request.headers.get("Authorization"))
    if not token:
        return None
    try:
        from gqlauth.jwt.types_ import TokenType

        return str(TokenType.from_token(token).payload.id)
    except Exception:  # any bad token is simply anonymous; the schema says why
        return None


def _operation_count(request: HttpRequest) -> int:
    """How many operations the request carries: a batch counts each one (capped just above
    the batch limit, which refuses the rest)."""
    if request.method != "POST" or "json" not in request.content_type:
        return 1
    try:
        body = request.body
    except Exception:  # too large: the view answers that
        return 1
    if not body.lstrip().startswith(b"["):
        return 1
    try:
        operations = json.loads(body)
    except ValueError:
        return 1
    cap = settings.GRAPHQL_BATCH_MAX_OPERATIONS + 1
    return max(1, min(len(operations), cap)) if isinstance(operations, list) else 1


class _Breaker:
    """After Redis fails, skip rate limiting for a few seconds instead of waiting for its
    timeout on every request (fail open, fast)."""

    seconds = 5.0
    open_until = 0.0

    @classmethod
    def is_open(cls) -> bool:
        return time.monotonic() < cls.open_until

    @classmethod
    def trip(cls, error: Exception) -> None:
        if not cls.is_open():
            logger.warning("Rate limits off for %.0fs: the cache failed (%s)", cls.seconds, error)
        cls.open_until = time.monotonic() + cls.seconds


def _redis_client():
    if not hasattr(django_cache, "client"):  # local memory (the embedded default)
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def count_hits(checks: list[tuple[ratelimit.Limit, str]], weight: int = 1) -> int | None:
    """Count `weight` hits against each (limit, subject); the seconds until the window ends
    when one is over its limit, else None. One round trip to Redis (a pipeline of INCRBY and
    EXPIRE per counter); the embedded default counts in the local cache."""
    checks = [(limit, subject) for limit, subject in checks if limit.count > 0 and subject]
    if not checks:
        return None
    client = _redis_client()
    if client is None:
        try:
            for _ in range(weight):
                ratelimit.hit_all(checks)
        except RateLimited as error:
            return error.retry_after
        return None
    now = time.time()
    pipe = client.pipeline(transaction=False)
    for limit, subject in checks:
        window = int(now // limit.seconds)
        key = django_cache.make_key(ratelimit._key(limit, subject, window))
        pipe.incrby(key, weight)
        pipe.expire(key, limit.seconds + 1)
    counts = pipe.execute()[::2]
    retry = None
    for (limit, _), count in zip(checks, counts, strict=True):
        if count > limit.count:
            remaining = limit.seconds - int(now) % limit.seconds
            retry = max(retry or 0, remaining)
    return retry


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    accept = request.headers.get("Accept", "")
    content_type = GRAPHQL_RESPONSE_JSON if GRAPHQL_RESPONSE_JSON in accept else "application/json"
    body = {
        "errors": [
            {
                "message": f"Too many requests. Try again in {retry_after} seconds.",
                "extensions": {"code": ErrorCode.RATE_LIMITED.name, "retryAfter": retry_after},
            }
        ]
    }
    response = JsonResponse(body, status=429, content_type=content_type)
    response["Retry-After"] = str(retry_after)
    return response


class GraphQLRateLimitMiddleware:
    """Fixed-window rate limits of the GraphQL endpoint in Redis: per account for signed-in
    requests, per IP for anonymous ones, and an IP ceiling for all. Over a limit the answer
    is HTTP 429 with `Retry-After` and a GraphQL error (`RATE_LIMITED`). When Redis is down
    the limits let everything through (an outage of the cache must not lock users out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != _graphql_path() or request.method == "OPTIONS":
            return self.get_response(request)
        retry_after = self.check(request)
        if retry_after is not None:
            return too_many_requests(request, retry_after)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> int | None:
        if _Breaker.is_open():
            return None
        seconds = settings.RATE_LIMIT_TRAFFIC_WINDOW_SECONDS
        ip = client_ip(request)
        user_id = request.rate_limit_user_id = _user_id(request)
        checks = [(ratelimit.Limit("gql-ip", settings.RATE_LIMIT_IP, seconds), ip)]
        if user_id:
            checks.append((ratelimit.Limit("gql-user", settings.RATE_LIMIT_USER, seconds), user_id))
        else:
            checks.append(
                (ratelimit.Limit("gql-anonymous", settings.RATE_LIMIT_ANONYMOUS, seconds), ip)
            )
        try:
            return count_hits(checks, weight=_operation_count(request))
        except Exception as error:  # redis errors, socket errors: fail open
            _Breaker.trip(error)
            return None
