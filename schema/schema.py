"""The root schema: the domains' Query/Mutation/Subscription parts merged into one.

Export it with `make schema` (writes `schema.graphql`, the contract with the frontends).
"""

from strawberry.extensions import ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from domains.bookings.graphql.mutations import BookingsMutation
from domains.bookings.graphql.queries import BookingsQuery
from domains.bookings.graphql.subscriptions import BookingsSubscription
from domains.bookings.graphql.types import BookingNode
from domains.payments.graphql.mutations import PaymentsMutation
from domains.payments.graphql.types import PaymentNode
from domains.properties.graphql.mutations import PropertiesMutation
from domains.properties.graphql.queries import PropertiesQuery
from domains.properties.graphql.types import PropertyNode, PropertyPhotoNode
from domains.reviews.graphql.mutations import ReviewsMutation
from domains.reviews.graphql.types import ReviewNode
from domains.users.graphql.mutations import UsersMutation
from domains.users.graphql.queries import UsersQuery
from schema.errors import UserError
from schema.limits import QueryLimits, parser_cache
from schema.masking import Schema, mask_errors
from schema.observability import OperationLog
from schema.relay import NodeQuery

Query = merge_types("Query", (NodeQuery, UsersQuery, PropertiesQuery, BookingsQuery))
Mutation = merge_types(
    "Mutation",
    (UsersMutation, PropertiesMutation, BookingsMutation, PaymentsMutation, ReviewsMutation),
)
Subscription = merge_types("Subscription", (BookingsSubscription,))
for root, description in (
    (Query, "Reads: listings and search, the viewer's account, trips and reservations."),
    (Mutation, "Writes. Each takes one `input` and answers a payload with `errors`."),
    (Subscription, "Live updates over `graphql-transport-ws` on /graphql/."),
):
    root.__strawberry_definition__.description = description

EXTENSIONS = [
    # First, so its timing covers everything below (one log record per operation).
    OperationLog,
    DjangoOptimizerExtension,
    # Parsing and validating a known document costs 4-5 ms; both are cached by its text.
    parser_cache(512),
    lambda: ValidationCache(maxsize=512),
    # Depth, aliases, tokens, cost, introspection; after ValidationCache (see its doc).
    QueryLimits,
    # Unexpected exceptions reach clients as "Unexpected error." (logged in full).
    mask_errors,
]

schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    # Types reachable only through `node` (or used by every payload) are declared here.
    types=[UserError, PropertyNode, PropertyPhotoNode, ReviewNode, BookingNode, PaymentNode],
    extensions=EXTENSIONS,
    config=StrawberryConfig(relay_max_results=100),
)
