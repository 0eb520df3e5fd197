"""Which nights of a listing are taken: by an active booking (PENDING, CONFIRMED) or by a
block of its host. Dates are nights: a stay [check_in, check_out) takes the nights from
check_in up to the day before check_out."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from domains.bookings.models import ACTIVE_STATUSES, Booking
from domains.properties.models import BlockedPeriod


def overlapping_bookings(start: date, end: date) -> QuerySet[Booking]:
    """Active bookings taking a night of [start, end)."""
    return Booking.objects.filter(status__in=ACTIVE_STATUSES, check_in__lt=end, check_out__gt=start)


def overlapping_blocks(start: date, end: date) -> QuerySet[BlockedPeriod]:
    return BlockedPeriod.objects.filter(start_date__lt=end, end_date__gt=start)


def is_available(*, property_id: int, check_in: date, check_out: date) -> bool:
    return not (
        overlapping_bookings(check_in, check_out).filter(property_id=property_id).exists()
        or overlapping_blocks(check_in, check_out).filter(property_id=property_id).exists()
    )


def available_q(check_in: date, check_out: date) -> Q:
    """A filter on Property: every night of [check_in, check_out) is free."""
    bookings = overlapping_bookings(check_in, check_out).filter(property_id=OuterRef("pk"))
    blocks = overlapping_blocks(check_in, check_out).filter(property_id=OuterRef("pk"))
    return ~Q(Exists(bookings)) & ~Q(Exists(blocks))


def unavailable_nights(*, property_id: int, start: date, end: date) -> list[date]:
    """Each taken night in [start, end), sorted."""
    ranges = [
        *overlapping_bookings(start, end)
        .filter(property_id=property_id)
        .values_list("check_in", "check_out"),
        *overlapping_blocks(start, end)
        .filter(property_id=property_id)
        .values_list("start_date", "end_date"),
    ]
    nights: set[date] = set()
    for first, stop in ranges:
        day = max(first, start)
        while day < min(stop, end):
            nights.add(day)
            day += timedelta(days=1)
    return sorted(nights)
