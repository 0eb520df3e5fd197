"""The Review type and the rating histogram of a listing."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay

from domains.reviews.models import Review
from domains.users.graphql.types import UserNode
from schema.context import Info
from schema.relay import resolve_visible_nodes

if TYPE_CHECKING:
    from domains.properties.graphql.types import PropertyNode


@strawberry.type(description="How many reviews of a listing gave one rating.")
class RatingCount:
    rating: int = strawberry.field(description="The rating, from 1 to 5.")
    count: int = strawberry.field(description="Number of reviews with that rating.")


def rating_histogram(counts: list[int] | None) -> list[RatingCount]:
    """All five ratings, best first, zeros included (`counts` holds ratings 1..5 in order)."""
    counts = list(counts or []) + [0] * (5 - len(counts or []))
    return [RatingCount(rating=rating, count=counts[rating - 1]) for rating in range(5, 0, -1)]


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
    property: Annotated["PropertyNode", strawberry.lazy("domains.properties.graphql.types")] = (
        strawberry_django.field(description="The listing reviewed.")
    )

    @strawberry_django.field(
        only=["response"], description="The host's response as plain text, or null."
    )
    def response(self: Review) -> str | None:
        return self.response or None

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        return resolve_visible_nodes(Review.objects.all(), info, node_ids)
