"""A small schema for the hardening tests, served with the production extensions and view.

The product schema on this branch has no connection and no mutation yet; this one has nested
Relay connections (cost), a plain list, a mutation (GET must refuse it), a resolver that fails
unexpectedly and one that refuses on purpose. Use it with `@pytest.mark.urls(URLS)`.
"""

import strawberry
from django.urls import path
from strawberry import relay
from strawberry.schema.config import StrawberryConfig

from schema.errors import bad_user_input
from schema.masking import Schema
from schema.schema import EXTENSIONS
from schema.views import GraphQLView

URLS = "tests.hardening_schema"
LEAKY_MESSAGE = 'relation "users" SELECT password FROM users WHERE id = 1 failed'
# Every call of a root resolver, to prove that a refused document ran nothing.
CALLS: list[str] = []


@strawberry.type
class Tag:
    name: str


@strawberry.type
class Item(relay.Node):
    id: relay.NodeID[int]
    name: str

    @relay.connection(relay.ListConnection["Item"])
    def children(self) -> list["Item"]:
        return [Item(id=self.id * 10 + i, name=f"child {i}") for i in range(3)]

    @strawberry.field
    def tags(self) -> list[Tag]:
        return [Tag(name="a"), Tag(name="b")]


@strawberry.type
class Query:
    @relay.connection(relay.ListConnection[Item])
    def items(self) -> list[Item]:
        CALLS.append("items")
        return [Item(id=i, name=f"item {i}") for i in range(1, 6)]

    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}!"

    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError(LEAKY_MESSAGE)

    @strawberry.field
    def refused(self) -> str:
        raise bad_user_input("`x` is not acceptable.", field="x")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def echo(self, text: str) -> str:
        CALLS.append("echo")
        return text


test_schema = Schema(
    query=Query,
    mutation=Mutation,
    extensions=EXTENSIONS,
    config=StrawberryConfig(relay_max_results=100),
)

urlpatterns = [path("graphql/", GraphQLView.as_view(schema=test_schema), name="graphql")]
