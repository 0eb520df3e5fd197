"""The websocket endpoint: subscriptions over `graphql-transport-ws`, authenticated by the
`authorization` connection param (`Bearer <accessToken>`), as the `graphql-ws` client sends it."""

from typing import Any

from strawberry.channels import GraphQLWSConsumer as StrawberryGraphQLWSConsumer
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from schema.context import Context


class GraphQLWSConsumer(StrawberryGraphQLWSConsumer):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        super().__init__(**kwargs)

    async def get_context(self, request: Any, response: Any) -> Context:
        params = getattr(request, "connection_params", None) or {}
        authorization = params.get("authorization") or params.get("Authorization")
        return Context(
            request=None,
            response=None,
            authorization=authorization if isinstance(authorization, str) else None,
        )
