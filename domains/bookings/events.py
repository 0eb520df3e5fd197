"""Live updates of bookings: the `bookingUpdated` subscription listens to these.

Services call `publish_booking_updated` inside their transaction; the message leaves through
the channel layer (Redis in production, in memory in the embedded default) once the
transaction commits, to one group per member: the booking's guest and its listing's host.
The message names the booking only; the subscriber reloads it, so nothing private travels.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

BOOKING_UPDATED = "booking.updated"


def member_group(user_id: int) -> str:
    return f"member.{user_id}"


def _send(booking_id: int, member_ids: tuple[int, ...]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": BOOKING_UPDATED, "booking_id": booking_id}
    for member_id in member_ids:
        try:
            async_to_sync(layer.group_send)(member_group(member_id), message)
        except Exception:  # a live update is best effort: never fail the committed change
            logger.warning("could not publish booking %s to member %s", booking_id, member_id)


def publish_booking_updated(*, booking_id: int, guest_id: int, host_id: int) -> None:
    """Tell the guest and the host of a booking that it changed, after the commit."""
    members = tuple(dict.fromkeys((guest_id, host_id)))
    transaction.on_commit(lambda: _send(booking_id, members), robust=True)
