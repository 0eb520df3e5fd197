"""Rate limits of the GraphQL endpoint: per IP for anonymous requests, per account for signed-in
ones, an IP ceiling for all; 429 with Retry-After and RATE_LIMITED; fail open without Redis."""

import json
import logging

import pytest
from django.test import Client

from backend import middleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUERY = {"query": "{ me { id } }"}


@pytest.fixture(autouse=True)
def limits(settings):
    middleware._Breaker.open_until = 0.0
    settings.RATE_LIMIT_TRAFFIC_WINDOW_SECONDS = 60
    settings.RATE_LIMIT_ANONYMOUS = 3
    settings.RATE_LIMIT_USER = 5
    settings.RATE_LIMIT_IP = 100
    yield settings
    middleware._Breaker.open_until = 0.0


def token_for(user) -> str:
    from gqlauth.jwt.types_ import TokenType

    return TokenType.from_user(user).token


def post(body=QUERY, *, ip="10.0.0.1", token=None, accept="application/json", **extra):
    headers = {"Accept": accept}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return Client().post(
        "/graphql/", json.dumps(body), content_type="application/json", secure=True,
        headers=headers, REMOTE_ADDR=ip, **extra,
    )  # fmt: skip


def statuses(n: int, **kwargs) -> list[int]:
    return [post(**kwargs).status_code for _ in range(n)]


def test_anonymous_requests_are_limited_per_ip():
    assert statuses(3) == [200, 200, 200]
    response = post()
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": [
            {
                "message": f"Too many requests. Try again in {retry_after} seconds.",
                "extensions": {"code": "RATE_LIMITED", "retryAfter": retry_after},
            }
        ]
    }
    # Another address is not affected.
    assert post(ip="10.0.0.2").status_code == 200


def test_the_429_speaks_graphql_response_json_when_asked():
    statuses(3)
    response = post(accept="application/graphql-response+json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/graphql-response+json"
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_signed_in_requests_count_per_account():
    alice, bob = UserFactory(), UserFactory()
    assert statuses(5, token=token_for(alice)) == [200] * 5
    assert post(token=token_for(alice)).status_code == 429
    # Another account behind the same address, and anonymous requests, have their own count.
    assert post(token=token_for(bob)).status_code == 200
    assert post().status_code == 200


def test_an_account_is_limited_across_addresses():
    alice = UserFactory()
    for index in range(5):
        assert post(token=token_for(alice), ip=f"10.0.1.{index}").status_code == 200
    assert post(token=token_for(alice), ip="10.0.1.99").status_code == 429


def test_an_invalid_token_counts_as_anonymous():
    assert statuses(3, token="not-a-token") == [200, 200, 200]
    assert post(token="still-not-a-token").status_code == 429


def test_the_ip_ceiling_applies_to_all_accounts(limits):
    limits.RATE_LIMIT_IP = 4
    users = [UserFactory() for _ in range(5)]
    assert [post(token=token_for(user)).status_code for user in users] == [200] * 4 + [429]


def test_a_batch_counts_each_operation():
    assert post([QUERY, QUERY, QUERY]).status_code == 200
    assert post().status_code == 429


def test_behind_a_proxy_each_client_counts_on_its_own(limits):
    limits.TRUSTED_PROXY_COUNT = 1

    def via_proxy(client_address):
        return post(ip="10.9.9.9", HTTP_X_FORWARDED_FOR=client_address).status_code

    assert [via_proxy("203.0.113.1") for _ in range(4)] == [200, 200, 200, 429]
    assert via_proxy("203.0.113.2") == 200


def test_preflights_and_other_paths_are_not_counted(limits):
    limits.RATE_LIMIT_ANONYMOUS = 1
    limits.CORS_ALLOWED_ORIGINS = ["https://www.example.com"]
    preflight = {
        "HTTP_ORIGIN": "https://www.example.com",
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
    }
    for _ in range(3):
        response = Client().options("/graphql/", REMOTE_ADDR="10.0.0.1", secure=True, **preflight)
        assert response.status_code == 200
        assert Client().get("/healthz", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert statuses(2) == [200, 429]


def test_zero_turns_a_limit_off(limits):
    limits.RATE_LIMIT_ANONYMOUS = 0
    limits.RATE_LIMIT_IP = 0
    assert statuses(10) == [200] * 10


def test_fails_open_when_redis_is_down(limits, caplog):
    if "Redis" not in limits.CACHES["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL")
    limits.CACHES = {"default": {**limits.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
    with caplog.at_level(logging.WARNING, logger="backend.middleware"):
        assert statuses(6) == [200] * 6
    warnings = [r for r in caplog.records if r.name == "backend.middleware"]
    assert len(warnings) == 1  # once per outage, not once per request
    assert "Rate limits off" in warnings[0].getMessage()
