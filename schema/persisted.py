"""Automatic persisted queries (Apollo's APQ protocol), and optionally registered operations only.

The protocol, as Apollo Server answers it:
- `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}` without `query`: the
  query stored under that hash is run; unknown, the answer is HTTP 200 with the error
  `PersistedQueryNotFound` (`extensions.code` `PERSISTED_QUERY_NOT_FOUND`), and the client
  sends the hash again with the query text;
- hash and `query`: the SHA-256 of the text must be the hash (else HTTP 400,
  `provided sha does not match query`); the query runs and, once it has passed parsing,
  validation and the limits, is stored in the cache (Redis) for `GRAPHQL_APQ_TTL_SECONDS`;
- a version other than 1: HTTP 400, `Unsupported persisted query version`;
- APQ turned off (`GRAPHQL_APQ_ENABLED=0`): HTTP 200, `PersistedQueryNotSupported`.
GET and POST work alike; GET never runs a mutation, persisted or not.

Strict mode (`GRAPHQL_PERSISTED_ONLY=1`) accepts only the operations of a manifest
(`GRAPHQL_PERSISTED_MANIFEST`, written by `manage.py persisted_queries_manifest` from the
frontend contract, or Apollo's `persisted-query-manifest.json` from a client build): by hash or
by exact text; anything else is refused with HTTP 403, `QUERY_NOT_IN_SAFELIST`.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from graphql import GraphQLError

from domains.shared.errors import ErrorCode

logger = logging.getLogger(__name__)

VERSION = 1
CACHE_PREFIX = "apq:"
# What Apollo Server sends with its persisted-query errors: a CDN must not keep a miss.
NO_STORE = {"Cache-Control": "private, no-cache, must-revalidate"}


class PersistedQueryError(Exception):
    """A request refused by the protocol: the GraphQL error, the HTTP status and headers."""

    def __init__(
        self, message: str, code: ErrorCode, status: int, headers: dict | None = None
    ) -> None:
        super().__init__(message)
        self.error = GraphQLError(message, extensions={"code": code.name})
        self.status = status
        self.headers = headers or {}


def not_found() -> PersistedQueryError:
    return PersistedQueryError(
        "PersistedQueryNotFound", ErrorCode.PERSISTED_QUERY_NOT_FOUND, 200, NO_STORE
    )


def not_supported() -> PersistedQueryError:
    return PersistedQueryError(
        "PersistedQueryNotSupported", ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED, 200, NO_STORE
    )


def not_in_safelist() -> PersistedQueryError:
    return PersistedQueryError(
        "The operation body was not found in the persisted query safelist",
        ErrorCode.QUERY_NOT_IN_SAFELIST,
        403,
    )


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


@dataclass
class Resolved:
    """The query to run, and the hash to store it under once it has run (APQ registration)."""

    query: str | None
    register_hash: str | None = None


def resolve(query: Any, extensions: dict | None) -> Resolved:
    """The query text a request stands for, or a PersistedQueryError."""
    persisted = (extensions or {}).get("persistedQuery")
    strict = settings.GRAPHQL_PERSISTED_ONLY
    if persisted is None:
        if strict and isinstance(query, str) and sha256(query) not in manifest():
            raise not_in_safelist()
        return Resolved(query)
    if not settings.GRAPHQL_APQ_ENABLED and not strict:
        raise not_supported()
    if not isinstance(persisted, dict) or persisted.get("version") != VERSION:
        raise PersistedQueryError("Unsupported persisted query version", ErrorCode.BAD_REQUEST, 400)
    digest = persisted.get("sha256Hash")
    if query is None:
        stored = _lookup(digest) if isinstance(digest, str) else None
        if stored is None:
            raise not_found()
        return Resolved(stored)
    if not isinstance(query, str) or digest != sha256(query):
        # The hash must be the text's: else one could bind another query to a known hash.
        raise PersistedQueryError("provided sha does not match query", ErrorCode.BAD_REQUEST, 400)
    if strict:
        if digest not in manifest():
            raise not_in_safelist()
        return Resolved(query)
    return Resolved(query, register_hash=digest)


def _lookup(digest: str) -> str | None:
    if settings.GRAPHQL_PERSISTED_ONLY:
        return manifest().get(digest)
    # The cache fails open: with Redis down this is a miss, and the client sends the text.
    stored = cache.get(CACHE_PREFIX + digest)
    return stored if isinstance(stored, str) else None


def register(digest: str, query: str) -> None:
    """Store a query that has passed parsing, validation and the limits."""
    cache.set(CACHE_PREFIX + digest, query, timeout=settings.GRAPHQL_APQ_TTL_SECONDS or None)


# --- the manifest of registered operations -------------------------------------------------


def manifest() -> dict[str, str]:
    """sha256 of the text -> text, of every registered operation."""
    path = Path(settings.GRAPHQL_PERSISTED_MANIFEST)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        logger.error("The persisted query manifest %s is missing: every query is refused", path)
        return {}
    return _load_manifest(str(path), mtime)


@lru_cache(maxsize=4)
def _load_manifest(path: str, mtime: int) -> dict[str, str]:
    data = json.loads(Path(path).read_text())
    return parse_manifest(data)


def parse_manifest(data: Any) -> dict[str, str]:
    """Apollo's format (`{"format": "apollo-persisted-query-manifest", "operations": [{"id",
    "body", ...}]}`) or a plain object of hash -> text. Entries are keyed by the SHA-256 of
    their text (APQ clients send that hash), whatever id the file gives them."""
    if isinstance(data, dict) and isinstance(data.get("operations"), list):
        bodies = [op.get("body") for op in data["operations"] if isinstance(op, dict)]
    elif isinstance(data, dict):
        bodies = list(data.values())
    else:
        raise ValueError("A persisted query manifest is a JSON object.")
    return {sha256(body): body for body in bodies if isinstance(body, str)}
