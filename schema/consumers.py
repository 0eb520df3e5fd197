"""The websocket endpoint: subscriptions over `graphql-transport-ws`, authenticated by the
`authorization` connection param (`Bearer <accessToken>`), as the `graphql-ws` client sends it."""

from typing import Any

from strawberry.channels import GraphQLWSConsumer as StrawberryGraphQLWSConsumer
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from schema.context import Context


class SubscriptionContext(Context):
    """The context of a websocket connection. Strawberry builds it when the socket opens and
    stores the `connection_init` payload in `connection_params` afterwards (it does so only if
    the context has that attribute); the payload's `authorization` then authenticates every
    operation of the connection."""

    @property
    def connection_params(self) -> dict[str, Any] | None:
        return self.__dict__.get("_connection_params")

    @connection_params.setter
    def connection_params(self, params: dict[str, Any] | None) -> None:
        self.__dict__["_connection_params"] = params
        authorization = (params or {}).get("authorization") or (params or {}).get("Authorization")
        self.authorization = authorization if isinstance(authorization, str) else None
        self.__dict__.pop("user", None)  # a viewer resolved earlier is stale now


class GraphQLWSConsumer(StrawberryGraphQLWSConsumer):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        super().__init__(**kwargs)

    async def get_context(self, request: Any, response: Any) -> SubscriptionContext:
        # `request` is this consumer: the connection params are not known yet here.
        return SubscriptionContext(request=None, response=None)
