"""bookingUpdated: live changes of the viewer's bookings, as guest and as host."""

from collections.abc import AsyncGenerator

import strawberry
from channels.db import database_sync_to_async

from domains.bookings.events import BOOKING_UPDATED, member_group
from domains.bookings.graphql.types import BookingNode
from domains.bookings.models import Booking
from domains.bookings.selectors import visible_bookings
from schema.context import Info
from schema.errors import unauthenticated


# database_sync_to_async closes connections past CONN_MAX_AGE around each call: a websocket
# lives for hours and must not pin a stale connection.
@database_sync_to_async
def _viewer(info: Info):
    return info.context.viewer


@database_sync_to_async
def _visible_booking(booking_id, viewer) -> Booking | None:
    if not isinstance(booking_id, int):
        return None
    return (
        visible_bookings(viewer=viewer)
        .select_related("property", "guest", "payment")
        .filter(pk=booking_id)
        .first()
    )


@strawberry.type
class BookingsSubscription:
    @strawberry.subscription(
        description="Every change of status or payment of a booking whose guest or host is "
        "the viewer (sign in with `connectionParams.authorization`)."
    )
    async def booking_updated(self, info: Info) -> AsyncGenerator[BookingNode, None]:
        viewer = await _viewer(info)
        if viewer is None:
            raise unauthenticated()
        # One group per member: the services publish each change to its guest's and host's.
        async with info.context.ws.listen_to_channel(
            BOOKING_UPDATED, groups=[member_group(viewer.pk)]
        ) as messages:
            async for message in messages:
                booking = await _visible_booking(message.get("booking_id"), viewer)
                if booking is not None:
                    yield booking
