"""GraphQL over HTTP: media types, status codes, GET for queries only, GraphiQL."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

GQL_RESPONSE = "application/graphql-response+json"


def post(body, accept="application/json", **extra):
    return Client().post(
        "/graphql/", json.dumps(body), content_type="application/json", secure=True,
        headers={"Accept": accept}, **extra,
    )  # fmt: skip


def test_graphql_response_json_for_a_valid_query():
    response = post({"query": "{ me { id } }"}, accept=GQL_RESPONSE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(GQL_RESPONSE)
    assert response.json() == {"data": {"me": None}}


@pytest.mark.parametrize("query", ["{ me { id ", "{ nope }", "{ me { id nope } }"])
def test_parse_and_validation_errors_are_4xx_without_data(query):
    response = post({"query": query}, accept=GQL_RESPONSE)
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body and body["errors"]


def test_legacy_json_keeps_200_for_validation_errors():
    response = post({"query": "{ nope }"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["data"] is None


def test_get_serves_queries():
    response = Client().get("/graphql/", {"query": "{ me { id } }"}, secure=True,
                            headers={"Accept": "application/json"})  # fmt: skip
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}


def test_get_never_runs_a_mutation():
    response = Client().get(
        "/graphql/", {"query": "mutation { __typename }"}, secure=True,
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert response.status_code in (400, 405)


def test_malformed_json_body_is_400():
    response = Client().post("/graphql/", "{not json", content_type="application/json",
                             secure=True)  # fmt: skip
    assert response.status_code == 400


def test_graphiql_only_when_enabled(settings):
    from backend.urls import urlpatterns  # noqa: F401  (the view reads the setting at import)

    response = Client().get("/graphql/", secure=True, headers={"Accept": "text/html"})
    expected = 200 if settings.GRAPHIQL_ENABLED else 404
    assert response.status_code == expected
