"""The load generator's judgement of answers, its statistics, and the scenarios' documents."""

from types import SimpleNamespace

import pytest
from graphql import parse, validate

from bench.load import loadgen, scenario
from bench.load.scenario import Operation
from schema.schema import schema

OP = Operation("Op", 1, "{ me { id } }")
needs_contract = pytest.mark.skipif(
    not scenario.CONTRACT.is_dir(), reason="../shared/contract is not beside this clone"
)


def test_an_answer_fails_on_status_top_level_errors_and_failing_payload_codes():
    assert loadgen._failure(OP, 200, {"data": {"me": None}}) is None
    assert loadgen._failure(OP, 429, {"errors": []}) == "HTTP 429"
    assert loadgen._failure(OP, 200, "oops") == "not a GraphQL response"
    error = {"errors": [{"message": "x", "extensions": {"code": "QUERY_TOO_COMPLEX"}}]}
    assert loadgen._failure(OP, 200, error) == "QUERY_TOO_COMPLEX"
    tolerant = Operation("Op", 1, "{ x }", expected_codes=frozenset({"QUERY_TOO_COMPLEX"}))
    assert loadgen._failure(tolerant, 200, error) is None

    refused = {"data": {"bookingCreate": {"booking": None, "errors": [{"code": "OWN_LISTING"}]}}}
    assert loadgen.payload_codes(refused) == ["OWN_LISTING"]
    assert loadgen._failure(OP, 200, refused) is None  # an outcome, by default
    strict = Operation("Op", 1, "{ x }", allowed_payload_codes=frozenset({"DATES_UNAVAILABLE"}))
    assert loadgen._failure(strict, 200, refused) == "payload OWN_LISTING"
    failing = Operation("Op", 1, "{ x }", failing_payload_codes=frozenset({"OWN_LISTING"}))
    assert loadgen._failure(failing, 200, refused) == "payload OWN_LISTING"


def test_percentiles_and_the_report(capsys):
    assert loadgen.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5) == 5
    assert loadgen.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99) == 10
    samples = [
        loadgen.Sample("A", 100.0 + i / 10, 0.010 * (i + 1), 200, None, 2) for i in range(10)
    ] + [loadgen.Sample("B", 101.0, 0.5, 0, "ConnectError", None)]
    args = SimpleNamespace(duration=2, url="u", scenario="s", concurrency=1, apq=False)
    result = loadgen.report(samples, args)
    [a, b] = result["rows"]
    assert (a["operation"], a["count"], a["failures"], a["sql_per_op"]) == ("A", 10, 0, 2)
    assert a["p50_ms"] == pytest.approx(50) and a["max_ms"] == pytest.approx(100)
    assert (b["failures"], result["total"]["failures"]) == (1, 1)
    assert "ConnectError" in capsys.readouterr().out


@needs_contract
@pytest.mark.parametrize("name", ["smoke", "marketplace", "booking_contention"])
def test_scenarios_load(name):
    module = scenario.load(f"bench.load.scenarios.{name}")
    assert scenario.operations(module)


@needs_contract
def test_the_smoke_scenario_validates_against_the_schema():
    for operation in scenario.operations(scenario.load("bench.load.scenarios.smoke")):
        assert not validate(schema._schema, parse(operation.query)), operation.name
