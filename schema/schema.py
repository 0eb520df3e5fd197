"""The root schema: the domains' Query/Mutation/Subscription parts merged into one.

Export it with `make schema` (writes `schema.graphql`, the contract with the frontends).
"""

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from domains.properties.graphql.mutations import PropertiesMutation
from domains.properties.graphql.queries import PropertiesQuery
from domains.properties.graphql.types import PropertyNode, PropertyPhotoNode
from domains.reviews.graphql.types import ReviewNode
from domains.users.graphql.queries import UsersQuery
from schema.errors import UserError
from schema.relay import NodeQuery

Query = merge_types("Query", (NodeQuery, UsersQuery, PropertiesQuery))
Mutation = merge_types("Mutation", (PropertiesMutation,))

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    # Types reachable only through `node` (or used by every payload) are declared here.
    types=[UserError, PropertyNode, PropertyPhotoNode, ReviewNode],
    extensions=[
        DjangoOptimizerExtension,
        # Parsing and validating a known document costs 4-5 ms; both are cached by its text.
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ],
    config=StrawberryConfig(relay_max_results=100),
)
