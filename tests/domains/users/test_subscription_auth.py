"""Subscriptions authenticate by the `authorization` connection param of `connection_init`
(the `graphql-ws` client's `connectionParams`), as HTTP requests do by their header."""

import json
from collections.abc import AsyncGenerator

import pytest
import strawberry
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from gqlauth.jwt.types_ import TokenType

from schema.consumers import GraphQLWSConsumer
from schema.context import Info
from schema.permissions import IsAuthenticated
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@strawberry.type
class Query:
    ok: bool = True


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def viewer_email(self, info: Info) -> AsyncGenerator[str | None, None]:
        viewer = await sync_to_async(lambda: info.context.viewer)()
        yield viewer.email if viewer else None

    @strawberry.subscription(extensions=[IsAuthenticated()])
    async def members_only(self, info: Info) -> AsyncGenerator[bool, None]:
        yield True


probe = GraphQLWSConsumer.as_asgi(schema=strawberry.Schema(query=Query, subscription=Subscription))


def first_result(query: str, connection_params: dict) -> dict:
    """Connect, init with `connection_params`, subscribe, and return the first message
    (`next` or `error`), speaking graphql-transport-ws to the consumer over ASGI."""

    async def run() -> dict:
        scope = {
            "type": "websocket",
            "path": "/graphql/",
            "headers": [],
            "subprotocols": ["graphql-transport-ws"],
        }
        app = ApplicationCommunicator(probe, scope)
        await app.send_input({"type": "websocket.connect"})
        assert (await app.receive_output(5))["type"] == "websocket.accept"

        async def send(message):
            await app.send_input({"type": "websocket.receive", "text": json.dumps(message)})

        async def receive():
            return json.loads((await app.receive_output(5))["text"])

        await send({"type": "connection_init", "payload": connection_params})
        assert (await receive())["type"] == "connection_ack"
        await send({"id": "1", "type": "subscribe", "payload": {"query": query}})
        message = await receive()
        await app.send_input({"type": "websocket.disconnect", "code": 1000})
        await app.wait(5)
        return message

    return async_to_sync(run)()


def test_the_connection_param_authenticates_the_subscriber():
    ada = UserFactory(email="ada@example.com")
    token = TokenType.from_user(ada).token
    result = first_result("subscription { viewerEmail }", {"authorization": f"Bearer {token}"})
    assert result == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"viewerEmail": "ada@example.com"}},
    }


@pytest.mark.parametrize(
    "params", [{}, {"authorization": "Bearer not-a-token"}, {"authorization": 42}]
)
def test_without_a_valid_token_the_subscriber_is_anonymous(params):
    UserFactory()
    result = first_result("subscription { viewerEmail }", params)
    assert result["payload"] == {"data": {"viewerEmail": None}}
    result = first_result("subscription { membersOnly }", params)
    assert result["type"] == "error"
    assert result["payload"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
