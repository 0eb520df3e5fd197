"""Production safety of the HTTP endpoint: introspection, masked errors, CORS, no cookie
authentication, security headers, size limits, the database's statement timeout."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client

from tests.factories import UserFactory
from tests.hardening_schema import LEAKY_MESSAGE, URLS

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
GQL_RESPONSE = "application/graphql-response+json"


def post(body, client=None, accept=GQL_RESPONSE, **extra):
    return (client or Client()).post(
        "/graphql/", json.dumps(body), content_type="application/json", secure=True,
        headers={"Accept": accept}, **extra,
    )  # fmt: skip


def settings_of(**env: str) -> dict:
    """Settings as a fresh process reads them from these environment variables."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: getattr(settings, k) for k in "
        "['GRAPHQL_INTROSPECTION', 'DATABASES', 'LOGGING', 'DEBUG']}, default=str))"
    )
    unset = ("DATABASE", "REDIS", "DEBUG", "GRAPHQL", "GRAPHIQL")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "backend.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- introspection ---------------------------------------------------------------------------


def test_introspection_is_off_in_production_and_on_in_development():
    production = settings_of(DATABASE_URL="postgres://x@db/x", SECRET_KEY="k")
    assert production["DEBUG"] is False and production["GRAPHQL_INTROSPECTION"] is False
    assert settings_of()["GRAPHQL_INTROSPECTION"] is True
    enabled = settings_of(
        DATABASE_URL="postgres://x@db/x", SECRET_KEY="k", GRAPHQL_INTROSPECTION="1"
    )
    assert enabled["GRAPHQL_INTROSPECTION"] is True
    # GraphiQL reads the schema by introspection: enabling it enables introspection too.
    graphiql = settings_of(DATABASE_URL="postgres://x@db/x", SECRET_KEY="k", GRAPHIQL_ENABLED="1")
    assert graphiql["GRAPHQL_INTROSPECTION"] is True


def test_introspection_is_refused_when_off(settings):
    settings.GRAPHQL_INTROSPECTION = False
    response = post({"query": "{ __schema { queryType { name } } }"})
    assert response.status_code == 400
    assert "introspection has been disabled" in response.json()["errors"][0]["message"]
    assert "data" not in response.json()
    # __typename is not introspection.
    assert post({"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}


def test_introspection_answers_when_on(settings):
    settings.GRAPHQL_INTROSPECTION = True
    response = post({"query": "{ __schema { queryType { name } } }"})
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


# --- masked errors ---------------------------------------------------------------------------


@pytest.mark.urls(URLS)
def test_an_unexpected_exception_is_masked_and_logged_in_full(caplog):
    with caplog.at_level(logging.ERROR, logger="graphql.errors"):
        response = post({"query": "query Boom { boom }"})
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Unexpected error.",
                "locations": [{"line": 1, "column": 14}],
                "path": ["boom"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            }
        ],
    }
    assert b"SELECT" not in response.content and b"Traceback" not in response.content
    [record] = [r for r in caplog.records if r.name == "graphql.errors"]
    assert LEAKY_MESSAGE in record.getMessage() and "Boom" in record.getMessage()
    assert record.exc_info[0] is RuntimeError
    assert record.request_id == request_id


@pytest.mark.urls(URLS)
def test_errors_raised_on_purpose_pass_unmasked():
    response = post({"query": "{ refused }"})
    [error] = response.json()["errors"]
    assert error["message"] == "`x` is not acceptable."
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "x"}


def test_a_database_error_of_the_product_schema_is_masked(monkeypatch):
    def failing_amenities():
        raise OperationalError('canceling statement: SELECT "code" FROM "properties_amenity"')

    monkeypatch.setattr("domains.properties.selectors.amenities", failing_amenities)
    response = post({"query": "{ amenities { code } }"})
    assert response.json()["errors"][0]["message"] == "Unexpected error."
    assert b"properties_amenity" not in response.content


def test_an_exception_outside_execution_is_masked_too(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("password=hunter2")

    monkeypatch.setattr("schema.limits.query_cost", broken)
    response = post({"query": "{ me { id } }"})
    assert response.json()["errors"][0]["message"] == "Unexpected error."
    assert b"hunter2" not in response.content


def test_variable_errors_are_not_masked():
    response = post({"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {}})
    assert "$id" in response.json()["errors"][0]["message"]


# --- CORS, cookies, headers ------------------------------------------------------------------


def preflight(origin: str):
    return Client().options(
        "/graphql/", secure=True, HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )  # fmt: skip


def test_cors_preflight_for_a_configured_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    response = preflight("https://www.example.com")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://www.example.com"
    allowed = response["Access-Control-Allow-Headers"]
    assert "authorization" in allowed and "content-type" in allowed
    assert "POST" in response["Access-Control-Allow-Methods"]
    # No cookies cross origins: authentication is the bearer token.
    assert "Access-Control-Allow-Credentials" not in response
    actual = post({"query": "{ me { id } }"}, HTTP_ORIGIN="https://www.example.com")
    assert actual["Access-Control-Allow-Origin"] == "https://www.example.com"
    assert "x-request-id" in actual["Access-Control-Expose-Headers"]


def test_cors_refuses_other_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example.net")


def test_a_session_cookie_does_not_authenticate_graphql():
    admin = UserFactory(is_staff=True, is_superuser=True)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    # The session is valid: the admin lets it in.
    assert browser.get("/admin/jsi18n/", secure=True).status_code == 200
    response = post({"query": "{ me { id } }"}, client=browser)
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}


def test_security_headers(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = post({"query": "{ me { id } }"})
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# --- sizes -----------------------------------------------------------------------------------


def test_an_oversize_json_body_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post({"query": "{ me { id } }", "variables": {"pad": "x" * 2000}})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {
        "code": "REQUEST_TOO_LARGE",
        "maxBytes": 1000,
    }


def test_an_oversize_upload_is_413(settings):
    settings.UPLOAD_MAX_BYTES = 4096
    operations = json.dumps({"query": "{ me { id } }", "variables": {"file": None}})

    def upload(size: int):
        return Client().post(
            "/graphql/",
            {
                "operations": operations,
                "map": json.dumps({"0": ["variables.file"]}),
                "0": SimpleUploadedFile("photo.jpg", b"x" * size, content_type="image/jpeg"),
            },
            secure=True,
        )

    response = upload(10_000)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert upload(100).json() == {"data": {"me": None}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "Unable to parse request body as JSON"),
        ("{}", "No GraphQL query found in the request"),
    ],
)
def test_malformed_requests_get_graphql_errors(body, message):
    response = Client().post("/graphql/", body, content_type="application/json", secure=True)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
    }


def test_other_methods_are_405_with_allow():
    response = Client().put("/graphql/", "{}", content_type="application/json", secure=True)
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_a_malformed_multipart_body_is_400():
    response = Client().post(
        "/graphql/",
        b"--xyz\r\nContent-Disposition: form-data; name=operations\r\n",
        content_type="multipart/form-data; boundary=xyz",
        secure=True,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_too_many_multipart_fields_is_400(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = {f"f{i}": "x" for i in range(10)}
    response = Client().post("/graphql/", {"operations": "{}", **fields}, secure=True)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_a_body_that_is_not_utf8_is_400():
    response = Client().post(
        "/graphql/", b'{"query": "\xff"}', content_type="application/json", secure=True
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


# --- the database's statement timeout --------------------------------------------------------


def test_the_statement_timeout_is_set_on_the_connection(on_postgres, settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
        assert int(cursor.fetchone()[0]) == settings.DATABASE_STATEMENT_TIMEOUT_MS


def test_a_long_statement_is_cancelled(on_postgres):
    import psycopg

    options = settings_of(
        DATABASE_URL="postgres://x@db/x", SECRET_KEY="k", DATABASE_STATEMENT_TIMEOUT_MS="200"
    )["DATABASES"]["default"]["OPTIONS"]["options"]
    params = connection.get_connection_params()
    cancelled = pytest.raises(psycopg.errors.QueryCanceled, match="statement timeout")
    with psycopg.connect(**{**params, "options": options}) as short, cancelled:
        short.execute("SELECT pg_sleep(3)")
