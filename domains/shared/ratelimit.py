"""Fixed-window rate limits on counters in the cache (Redis in production).

A limit is checked before the work it protects; when the cache is down the limit lets the
request through (an outage of Redis must not lock everybody out).
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

from domains.shared.errors import RateLimited


@dataclass(frozen=True)
class Limit:
    """`count` hits per `seconds` for one subject (an IP address, an account, an e-mail)."""

    name: str
    count: int
    seconds: int


def _key(limit: Limit, subject: str, window: int) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"ratelimit:{limit.name}:{digest}:{window}"


def hit(limit: Limit, subject: str | None) -> None:
    """Count one hit of `subject`; raise RateLimited once it is over the limit this window."""
    if not subject or limit.count <= 0:
        return
    now = int(time.time())
    window = now // limit.seconds
    key = _key(limit, subject, window)
    try:
        # add() creates the counter with its expiry only if absent; incr() is atomic in Redis.
        cache.add(key, 0, timeout=limit.seconds + 1)
        count = cache.incr(key)
    except ValueError:  # the counter expired between add() and incr()
        count = 1
    if count is not None and count > limit.count:
        raise RateLimited(retry_after=(window + 1) * limit.seconds - now)


def hit_all(checks: list[tuple[Limit, str | None]]) -> None:
    """Count a hit against every limit (all of them, so no subject escapes counting)."""
    first_error: RateLimited | None = None
    for limit, subject in checks:
        try:
            hit(limit, subject)
        except RateLimited as error:
            first_error = first_error or error
    if first_error:
        raise first_error
