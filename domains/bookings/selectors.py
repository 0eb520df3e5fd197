"""Reads of bookings. A booking is visible to its guest, to the host of its listing and to
staff; to nobody else (not even its existence)."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from domains.bookings.models import Booking
from domains.shared.errors import NotFound


def booking_visibility(viewer, *, prefix: str = "") -> Q | None:
    """The filter of bookings `viewer` may see (None: every booking, for staff); `prefix`
    applies it through a relation (e.g. `booking__` on payments)."""
    if viewer is None or not viewer.is_authenticated:
        return Q(pk__in=[])
    if viewer.is_staff:
        return None
    return Q(**{f"{prefix}guest": viewer}) | Q(**{f"{prefix}property__host": viewer})


def visible_bookings(*, viewer) -> QuerySet[Booking]:
    visible = booking_visibility(viewer)
    bookings = Booking.objects.all()
    return bookings if visible is None else bookings.filter(visible)


def lock_visible_booking(*, actor, booking_id: int | None, field: str = "id") -> Booking:
    """The booking, row-locked for a change, if `actor` may see it (its guest, its listing's
    host, staff); NotFound on `field` otherwise, as for an unknown id (call in a transaction)."""
    booking = (
        visible_bookings(viewer=actor)
        .select_for_update(of=("self",))
        .select_related("property")
        .filter(pk=booking_id)
        .first()
        if booking_id
        else None
    )
    if booking is None:
        raise NotFound("No such booking.", field=field)
    return booking


def _with_statuses(bookings: QuerySet[Booking], statuses: Iterable[str] | None):
    if statuses:
        bookings = bookings.filter(status__in=list(statuses))
    return bookings.order_by("-created_at", "-id")


def guest_trips(*, guest_id: int, statuses: Iterable[str] | None = None) -> QuerySet[Booking]:
    """The member's bookings as a guest, newest first."""
    return _with_statuses(Booking.objects.filter(guest_id=guest_id), statuses)


def host_reservations(*, host_id: int, statuses: Iterable[str] | None = None) -> QuerySet[Booking]:
    """The bookings of the member's listings (deleted listings included), newest first."""
    return _with_statuses(Booking.objects.filter(property__host_id=host_id), statuses)
