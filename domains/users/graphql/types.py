"""The User type: a public profile, plus private fields for the account's owner and staff."""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay

from domains.users import selectors
from domains.users.models import User
from schema.context import Info
from schema.relay import Connection, resolve_visible_nodes
from schema.types import Image, image

if TYPE_CHECKING:
    from domains.bookings.graphql.types import BookingNode, BookingStatusEnum
    from domains.properties.graphql.types import PropertyNode
    from domains.reviews.graphql.types import ReviewNode

_BOOKINGS = "domains.bookings.graphql.types"
# A member's bookings (trips, reservations): a Relay connection, null for other viewers.
_BookingConnection = Connection[Annotated["BookingNode", strawberry.lazy(_BOOKINGS)]] | None
_StatusFilter = Annotated[
    list[Annotated["BookingStatusEnum", strawberry.lazy(_BOOKINGS)]] | None,
    strawberry.argument(description="Only bookings in these statuses."),
]


def _owner_or_staff(user: User, info: Info) -> bool:
    return selectors.can_see_private_fields(viewer=info.context.viewer, user=user)


@strawberry_django.type(
    User,
    name="User",
    description="A member of the marketplace: a guest, and a host when `isHost` is true. Other "
    "members see the public profile; `email`, `phone`, `isVerified` and the lists of trips and "
    "reservations are for the account's owner only.",
)
class UserNode(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry_django.field(description="The name shown to other members.")
    bio: str = strawberry_django.field(description="What the member says about themselves.")
    is_host: bool = strawberry_django.field(description="Whether the member hosts listings.")
    date_joined: datetime = strawberry_django.field(description="When the account was created.")

    @strawberry_django.field(only=["avatar"], description="The profile picture, if any.")
    def avatar(self: User, info: Info) -> Image | None:
        return image(self.avatar, info)

    @strawberry_django.field(only=["email"], description="The e-mail address (owner only).")
    def email(self: User, info: Info) -> str | None:
        return self.email if _owner_or_staff(self, info) else None

    @strawberry_django.field(only=["phone"], description="The phone number (owner only).")
    def phone(self: User, info: Info) -> str | None:
        return (self.phone or None) if _owner_or_staff(self, info) else None

    @strawberry_django.field(
        only=["is_verified"], description="Whether the e-mail address is confirmed (owner only)."
    )
    def is_verified(self: User, info: Info) -> bool | None:
        return self.is_verified if _owner_or_staff(self, info) else None

    @strawberry_django.connection(
        Connection[Annotated["ReviewNode", strawberry.lazy("domains.reviews.graphql.types")]],
        description="Reviews the member wrote as a guest, newest first (public).",
    )
    def reviews(self: User, info: Info) -> Iterable["ReviewNode"]:
        from domains.reviews.selectors import author_reviews

        return author_reviews(author_id=self.pk)

    @strawberry_django.connection(
        _BookingConnection,
        description="The member's bookings as a guest, newest first (owner only).",
    )
    def trips(
        self: User,
        info: Info,
        status: _StatusFilter = None,
    ) -> Iterable["BookingNode"] | None:
        from domains.bookings.selectors import guest_trips

        if not _owner_or_staff(self, info):
            return None
        return guest_trips(guest_id=self.pk, statuses=status)

    @strawberry_django.connection(
        _BookingConnection,
        description="The bookings of the member's listings, newest first (owner only).",
    )
    def reservations(
        self: User,
        info: Info,
        status: _StatusFilter = None,
    ) -> Iterable["BookingNode"] | None:
        from domains.bookings.selectors import host_reservations

        if not _owner_or_staff(self, info):
            return None
        return host_reservations(host_id=self.pk, statuses=status)

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        visible = selectors.visible_users(viewer=info.context.viewer)
        return resolve_visible_nodes(visible, info, node_ids)

    @strawberry_django.connection(
        Connection[Annotated["PropertyNode", strawberry.lazy("domains.properties.graphql.types")]],
        description="The member's listings, newest first: all of their own (unpublished "
        "too) for the member, the published ones for everybody else.",
    )
    def listings(
        self: User, info: Info
    ) -> Iterable[Annotated["PropertyNode", strawberry.lazy("domains.properties.graphql.types")]]:
        from domains.properties.selectors import host_listings

        return host_listings(host=self, viewer=info.context.viewer)
