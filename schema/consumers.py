"""The websocket endpoint: subscriptions over `graphql-transport-ws`, authenticated by the
`authorization` connection param (`Bearer <accessToken>`), as the `graphql-ws` client sends it.

The params arrive with `connection_init`, after the context is made: `on_ws_connect` reads
them, resolves the viewer once for the connection, and leaves the consumer in the context for
subscriptions that listen to the channel layer (`info.context.ws.listen_to_channel`)."""

from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from strawberry.channels import GraphQLWSConsumer as StrawberryGraphQLWSConsumer
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from schema.context import Context


@dataclass
class WebSocketContext(Context):
    ws: Any = None
    # Filled by strawberry with the payload of `connection_init`.
    connection_params: dict[str, Any] = field(default_factory=dict)


class GraphQLWSConsumer(StrawberryGraphQLWSConsumer):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        super().__init__(**kwargs)

    async def get_context(self, request: Any, response: Any) -> Context:
        return WebSocketContext(request=None, response=None, ws=request)

    async def on_ws_connect(self, context: WebSocketContext) -> None:
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        context.authorization = authorization if isinstance(authorization, str) else None
        # Resolve the viewer now (a query), so resolvers read it without touching the database.
        # As over HTTP, a missing, expired or forged token makes the connection anonymous:
        # subscriptions that need a viewer then answer UNAUTHENTICATED (the contract's code),
        # which tells the client to refresh its token, rather than a bare close code.
        await database_sync_to_async(lambda: context.viewer)()
