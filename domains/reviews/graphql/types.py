"""The Review type."""

from datetime import datetime

import strawberry_django
from strawberry import relay

from domains.reviews.models import Review
from domains.users.graphql.types import UserNode
from schema.context import Info
from schema.relay import resolve_visible_nodes


@strawberry_django.type(
    Review,
    name="Review",
    description="A guest's review of a completed stay, with the host's response. Public.",
)
class ReviewNode(relay.Node):
    id: relay.NodeID[int]
    rating: int = strawberry_django.field(description="Rating from 1 to 5.")
    comment: str = strawberry_django.field(
        description="What the guest wrote, as plain text (never HTML)."
    )
    created_at: datetime = strawberry_django.field(description="When the review was written.")
    responded_at: datetime | None = strawberry_django.field(
        description="When the host responded, or null."
    )
    author: UserNode = strawberry_django.field(description="The guest who wrote it.")

    @strawberry_django.field(
        only=["response"], description="The host's response as plain text, or null."
    )
    def response(self: Review) -> str | None:
        return self.response or None

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        return resolve_visible_nodes(Review.objects.all(), info, node_ids)
