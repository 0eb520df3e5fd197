"""Structured logs: one JSON object per line, each carrying the request id.

`LOG_FORMAT=json` (the default outside DEBUG) writes records as JSON objects with `time`,
`level`, `logger`, `message`, `request_id`, the record's extra fields (e.g. `operation`,
`duration_ms`) and, for errors, `exception` with the traceback. `LOG_FORMAT=text` is for people
(the default in DEBUG). The request id comes from `RequestContextMiddleware`.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# A client's X-Request-ID is kept only if it looks like an id (it ends up in logs and headers).
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


def request_id_from(header: str | None) -> str:
    """The client's request id when it is sane, else a new one."""
    if header and SANE_REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # One line per record, whatever the message holds (newlines are escaped).
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return super().format(record)


class ThrottleFilter(logging.Filter):
    """Lets one record of a kind (logger, message) through per `seconds`: an outage of Redis
    makes django-redis log every failed call (hundreds a second), one is enough."""

    def __init__(self, seconds: float = 10.0) -> None:
        super().__init__()
        self.seconds = seconds
        self.last: dict[tuple[str, str], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        if record.created - self.last.get(key, float("-inf")) < self.seconds:
            return False
        self.last[key] = record.created
        return True


def logging_config(*, fmt: str, level: str) -> dict:
    """The LOGGING setting: everything to stderr in `fmt` ("json" or "text")."""
    if fmt not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, got {fmt!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "backend.logging.RequestIdFilter"},
            "throttle": {"()": "backend.logging.ThrottleFilter", "seconds": 10},
        },
        "formatters": {
            "json": {"()": "backend.logging.JsonFormatter"},
            "text": {"()": "backend.logging.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # Every request has its line from the middleware (with its id and status); Django's
            # own warning for each 4xx would repeat it. 5xx errors still come from here.
            "django.request": {"level": "ERROR"},
            # With Redis down every cache call fails and is ignored (a miss): log it now and
            # then, not hundreds of times a second.
            "django_redis.cache": {"filters": ["throttle"]},
        },
    }
