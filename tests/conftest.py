"""Shared fixtures: a GraphQL client over real HTTP handling, factories, clean cache."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _eager_tasks_and_clean_cache(settings):
    # Tasks run in process, on commit, as a worker would run them.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Production Argon2 costs ~300 ms a hash here; tests keep the algorithm, not the cost.
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")  # only this project's prefix, not the whole Redis database
    else:
        cache.clear()
    yield


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


class GraphQLClient:
    """Posts documents to /graphql/ as a frontend would (HTTPS, JSON, bearer token)."""

    def __init__(self) -> None:
        self.http = Client(enforce_csrf_checks=True)
        self.token: str | None = None

    def headers(self, token: str | None, extra: dict | None) -> dict[str, str]:
        headers = dict(extra or {})
        token = token if token is not None else self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def post(
        self,
        query: str,
        variables: dict | None = None,
        *,
        token: str | None = None,
        headers: dict | None = None,
        operation_name: str | None = None,
    ):
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        return self.http.post(
            "/graphql/",
            json.dumps(body),
            content_type="application/json",
            secure=True,
            headers=self.headers(token, headers),
        )

    def __call__(self, query: str, variables: dict | None = None, **kwargs) -> dict:
        response = self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.content
        return response.json()

    def login(self, user) -> "GraphQLClient":
        from gqlauth.jwt.types_ import TokenType

        self.token = TokenType.from_user(user).token
        return self


@pytest.fixture
def gql() -> GraphQLClient:
    return GraphQLClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def host(db):
    return UserFactory(is_host=True)
