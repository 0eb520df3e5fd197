"""Automatic persisted queries, answered as Apollo Server answers them, and strict mode."""

import hashlib
import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from graphql import parse

from tests import hardening_schema
from tests.hardening_schema import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

OPERATIONS = Path(__file__).resolve().parents[1].parent / "shared" / "contract" / "operations"
QUERY = "query Hello($name: String) { hello(name: $name) }"
MUTATION = 'mutation Echo { echo(text: "hi") }'
NOT_FOUND = {
    "errors": [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apq(digest: str, version=1) -> dict:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def post(body, accept="application/json"):
    return Client().post(
        "/graphql/", json.dumps(body), content_type="application/json", secure=True,
        headers={"Accept": accept},
    )  # fmt: skip


def get(params: dict, accept="application/json"):
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return Client().get("/graphql/", query, secure=True, headers={"Accept": accept})


@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
def test_unknown_hash_is_persisted_query_not_found(accept):
    response = post({"extensions": apq(sha(QUERY))}, accept=accept)
    # Apollo Server answers 200 (the client then sends the text), and forbids caching it.
    assert response.status_code == 200
    assert response.json() == NOT_FOUND
    assert response["Cache-Control"] == "private, no-cache, must-revalidate"
    assert response["Content-Type"].startswith(accept)


def test_hash_and_query_run_and_register_then_the_hash_alone_runs():
    variables = {"name": "Ada"}
    first = post({"query": QUERY, "variables": variables, "extensions": apq(sha(QUERY))})
    assert first.status_code == 200
    assert first.json() == {"data": {"hello": "Hello, Ada!"}}
    again = post({"variables": {"name": "Bob"}, "extensions": apq(sha(QUERY))})
    assert again.json() == {"data": {"hello": "Hello, Bob!"}}
    by_get = get({"variables": {"name": "Cy"}, "extensions": apq(sha(QUERY))})
    assert by_get.status_code == 200
    assert by_get.json() == {"data": {"hello": "Hello, Cy!"}}


def test_registration_works_over_get_too():
    assert get({"query": QUERY, "extensions": apq(sha(QUERY))}).json() == {
        "data": {"hello": "Hello, world!"}
    }
    assert post({"extensions": apq(sha(QUERY))}).json() == {"data": {"hello": "Hello, world!"}}


def test_a_hash_that_is_not_the_query_is_refused_and_nothing_is_stored():
    other = "{ hello }"
    response = post({"query": other, "extensions": apq(sha(QUERY))})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"message": "provided sha does not match query", "extensions": {"code": "BAD_REQUEST"}}
        ]
    }
    # The hash was not bound to the other text.
    assert post({"extensions": apq(sha(QUERY))}).json() == NOT_FOUND


def test_an_unsupported_version_is_400():
    response = post({"query": QUERY, "extensions": apq(sha(QUERY), version=2)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Unsupported persisted query version"


def test_get_refuses_a_persisted_mutation():
    hardening_schema.CALLS.clear()
    registered = post({"query": MUTATION, "extensions": apq(sha(MUTATION))})
    assert registered.json() == {"data": {"echo": "hi"}}
    response = get({"extensions": apq(sha(MUTATION))})
    assert response.status_code in (400, 405)
    assert hardening_schema.CALLS == ["echo"]  # the GET ran nothing


def test_get_neither_runs_nor_registers_a_mutation():
    hardening_schema.CALLS.clear()
    response = get({"query": MUTATION, "extensions": apq(sha(MUTATION))})
    assert response.status_code in (400, 405)
    assert post({"extensions": apq(sha(MUTATION))}).json() == NOT_FOUND
    assert hardening_schema.CALLS == []


@pytest.mark.parametrize(
    "query", ["{ nope }", "{ " + " ".join(f"a{i}: hello" for i in range(100)) + " }"]
)
def test_invalid_or_over_limit_documents_are_not_stored(query):
    response = post({"query": query, "extensions": apq(sha(query))})
    assert response.json()["data"] is None
    assert post({"extensions": apq(sha(query))}).json() == NOT_FOUND


def test_stored_queries_expire(settings):
    settings.GRAPHQL_APQ_TTL_SECONDS = 120
    post({"query": QUERY, "extensions": apq(sha(QUERY))})
    key = "apq:" + sha(QUERY)
    assert cache.get(key) == QUERY
    if hasattr(cache, "ttl"):  # django-redis
        assert 0 < cache.ttl(key) <= 120


def test_apq_can_be_turned_off(settings):
    settings.GRAPHQL_APQ_ENABLED = False
    response = post({"query": QUERY, "extensions": apq(sha(QUERY))})
    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotSupported",
                "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
            }
        ]
    }
    # Plain queries are unaffected.
    assert post({"query": QUERY}).json() == {"data": {"hello": "Hello, world!"}}


def test_each_operation_of_a_batch_is_resolved_on_its_own():
    response = post([{"extensions": apq(sha(QUERY))}, {"query": QUERY}])
    assert response.status_code == 200
    missing, ran = response.json()
    assert missing["errors"] == NOT_FOUND["errors"]
    assert ran == {"data": {"hello": "Hello, world!"}}


def test_a_redis_outage_is_a_miss_not_an_error(settings):
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL")
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert post({"extensions": apq(sha(QUERY))}).json() == NOT_FOUND
    response = post({"query": QUERY, "extensions": apq(sha(QUERY))})
    assert response.json() == {"data": {"hello": "Hello, world!"}}


# --- strict mode: registered operations only -------------------------------------------------


@pytest.fixture
def manifest(tmp_path, settings):
    operations = tmp_path / "operations"
    operations.mkdir()
    (operations / "app.graphql").write_text(
        "query Hello($name: String) { hello(name: $name) }\n"
        "query Items { items(first: 2) { ...Page } }\n"
        "fragment Page on ItemConnection { edges { node { id } } }\n"
    )
    output = tmp_path / "manifest.json"
    call_command("persisted_queries_manifest", operations=operations, output=output)
    settings.GRAPHQL_PERSISTED_MANIFEST = str(output)
    settings.GRAPHQL_PERSISTED_ONLY = True
    return json.loads(output.read_text())


def test_the_manifest_has_each_operation_with_its_fragments(manifest):
    assert manifest["format"] == "apollo-persisted-query-manifest"
    by_name = {op["name"]: op for op in manifest["operations"]}
    assert set(by_name) == {"Hello", "Items"}
    assert "fragment Page on ItemConnection" in by_name["Items"]["body"]
    assert "fragment" not in by_name["Hello"]["body"]
    for op in manifest["operations"]:
        assert op["id"] == sha(op["body"]) and op["type"] == "query"


def test_strict_mode_runs_registered_operations_by_hash_or_text(manifest):
    body = next(op["body"] for op in manifest["operations"] if op["name"] == "Hello")
    assert post({"extensions": apq(sha(body))}).json() == {"data": {"hello": "Hello, world!"}}
    assert post({"query": body, "variables": {"name": "Ada"}}).json() == {
        "data": {"hello": "Hello, Ada!"}
    }
    assert post({"query": body, "extensions": apq(sha(body))}).status_code == 200


def test_strict_mode_refuses_anything_else(manifest):
    for body in ({"query": "{ hello }"}, {"query": QUERY, "extensions": apq(sha(QUERY))}):
        response = post(body)
        assert response.status_code == 403
        assert response.json() == {
            "errors": [
                {
                    "message": "The operation body was not found in the persisted query safelist",
                    "extensions": {"code": "QUERY_NOT_IN_SAFELIST"},
                }
            ]
        }
    # An unknown hash is a miss (an APQ client then sends the text, which is refused).
    assert post({"extensions": apq(sha(QUERY))}).json() == NOT_FOUND
    assert cache.get("apq:" + sha(QUERY)) is None


def test_strict_mode_without_a_manifest_refuses_everything(settings, tmp_path):
    settings.GRAPHQL_PERSISTED_ONLY = True
    settings.GRAPHQL_PERSISTED_MANIFEST = str(tmp_path / "missing.json")
    assert post({"query": "{ hello }"}).status_code == 403


@pytest.mark.skipif(not OPERATIONS.is_dir(), reason="../shared/contract is not beside this clone")
def test_manifest_of_the_contract(tmp_path):
    output = tmp_path / "manifest.json"
    call_command("persisted_queries_manifest", operations=OPERATIONS, output=output)
    operations = json.loads(output.read_text())["operations"]
    expected = sum(
        1
        for path in OPERATIONS.glob("*.graphql")
        for d in parse(path.read_text()).definitions
        if d.kind == "operation_definition"
    )
    assert len(operations) == expected
    register = next(op for op in operations if op["name"] == "AccountRegister")
    assert "fragment UserErrorFields on UserError" in register["body"]
    assert all(op["id"] == sha(op["body"]) for op in operations)
