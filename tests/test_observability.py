"""Structured logs: request ids, one JSON object per line, one record per request and per
GraphQL operation (name, type, duration, SQL queries, errors)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from backend.logging import JsonFormatter, request_id_from

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def post(body, **headers):
    return Client().post(
        "/graphql/", json.dumps(body), content_type="application/json", secure=True,
        headers=headers,
    )  # fmt: skip


def records(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name]


# --- request ids -----------------------------------------------------------------------------


def test_a_sane_request_id_is_kept_and_echoed():
    response = post({"query": "{ me { id } }"}, **{"X-Request-ID": "web-7f3a.42:1"})
    assert response["X-Request-ID"] == "web-7f3a.42:1"


@pytest.mark.parametrize("header", ["", "has spaces", "x" * 200, "<script>", "-leading-dash"])
def test_an_insane_request_id_is_replaced(header):
    response = post({"query": "{ me { id } }"}, **{"X-Request-ID": header})
    assert response["X-Request-ID"] != header
    assert len(response["X-Request-ID"]) == 32 and int(response["X-Request-ID"], 16) >= 0


def test_every_request_gets_its_own_id():
    ids = {Client().get("/healthz")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    assert request_id_from(None) != request_id_from(None)


# --- the request log and the operation log ---------------------------------------------------


def test_one_record_per_request_with_its_id(caplog):
    caplog.set_level(logging.INFO)
    response = post({"query": "{ me { id } }"}, **{"X-Request-ID": "req-1"})
    [record] = records(caplog, "http.request")
    assert (record.method, record.path, record.status) == ("POST", "/graphql/", 200)
    assert record.request_id == "req-1" == response["X-Request-ID"]
    assert record.duration_ms > 0 and record.client_ip == "127.0.0.1"


def test_one_record_per_operation_with_name_type_timing_and_sql(caplog):
    caplog.set_level(logging.INFO)
    response = post({"query": "query Amenities { amenities { code name } }"})
    assert response.status_code == 200
    [record] = records(caplog, "graphql.operation")
    assert record.operation == "Amenities" and record.operation_type == "query"
    assert record.duration_ms > 0
    assert record.sql_queries == 1
    assert record.errors == 0 and record.error_codes == []
    assert record.cost == 1 + 50 * 2
    assert record.request_id == response["X-Request-ID"]


def test_refused_operations_are_logged_with_their_error_codes(caplog):
    caplog.set_level(logging.INFO)
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(40))
    post({"query": f"query Bomb {{ {aliases} }}"})
    [record] = records(caplog, "graphql.operation")
    assert record.operation == "Bomb" and record.errors == 1
    assert record.error_codes == ["QUERY_TOO_COMPLEX"] and record.sql_queries == 0


def test_each_operation_of_a_batch_is_logged(caplog):
    caplog.set_level(logging.INFO)
    post([{"query": "query A { me { id } }"}, {"query": "query B { amenities { code } }"}])
    names = [r.operation for r in records(caplog, "graphql.operation")]
    assert names == ["A", "B"]


def test_metrics_in_the_response_when_enabled(settings):
    from strawberry.relay import to_base64

    from tests.factories import UserFactory

    user_id = to_base64("User", UserFactory().pk)
    query = {"query": f'query Profile {{ node(id: "{user_id}") {{ id ... on User {{ name }} }} }}'}
    assert "extensions" not in post(query).json()
    settings.GRAPHQL_METRICS_IN_RESPONSE = True
    metrics = post(query).json()["extensions"]["metrics"]
    assert metrics["sqlQueries"] == 1 and metrics["cost"] == 3 and metrics["durationMs"] > 0


# --- JSON lines ------------------------------------------------------------------------------


def test_json_formatter_writes_one_object_per_line():
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "multi\nline %s", ("message",), sys.exc_info(),
            extra={"operation": "Amenities", "duration_ms": 1.5, "request_id": "r1"},
        )  # fmt: skip
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "multi\nline message"
    assert entry["level"] == "ERROR" and entry["logger"] == "x"
    assert entry["request_id"] == "r1"
    assert entry["operation"] == "Amenities" and entry["duration_ms"] == 1.5
    assert "Traceback" in entry["exception"] and "ValueError: bad" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_production_logs_are_json_lines():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('graphql.operation').info('hello', extra={'operation': 'Me'})"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS", "LOG"))}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DATABASE_URL": "postgres://x@db/x",
            "SECRET_KEY": "k",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    [line] = result.stderr.strip().splitlines()
    entry = json.loads(line)
    assert entry["message"] == "hello" and entry["operation"] == "Me"
    assert entry["request_id"] is None  # outside a request


def test_a_redis_outage_is_logged_now_and_then_not_per_call(settings, caplog):
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL")
    from django.core.cache import cache

    [throttle] = [f for f in logging.getLogger("django_redis.cache").filters if hasattr(f, "last")]
    throttle.last.clear()
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        assert [cache.get(f"k{i}") for i in range(20)] == [None] * 20
    assert len(records(caplog, "django_redis.cache")) == 1


def test_throttle_filter_lets_one_record_of_a_kind_through_per_interval():
    from backend.logging import ThrottleFilter

    throttle = ThrottleFilter(seconds=10)

    def record(msg, created):
        entry = logging.makeLogRecord({"name": "x", "msg": msg})
        entry.created = created
        return entry

    assert throttle.filter(record("down", 100.0))
    assert not throttle.filter(record("down", 105.0))
    assert throttle.filter(record("other", 105.0))
    assert throttle.filter(record("down", 110.5))
