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


def unavailable_nights_many(
    *, property_ids: list[int], start: date, end: date
) -> dict[int, list[date]]:
    """Each taken night in [start, end) of each listing, sorted (two queries for them all;
    listings with no taken night are absent)."""
    ranges = [
        *overlapping_bookings(start, end)
        .filter(property_id__in=property_ids)
        .values_list("property_id", "check_in", "check_out"),
        *overlapping_blocks(start, end)
        .filter(property_id__in=property_ids)
        .values_list("property_id", "start_date", "end_date"),
    ]
    nights: dict[int, set[date]] = {}
    for property_id, first, stop in ranges:
        taken = nights.setdefault(property_id, set())
        day = max(first, start)
        while day < min(stop, end):
            taken.add(day)
            day += timedelta(days=1)
    return {property_id: sorted(days) for property_id, days in nights.items()}


def unavailable_nights(*, property_id: int, start: date, end: date) -> list[date]:
    """Each taken night of one listing in [start, end), sorted."""
    return unavailable_nights_many(property_ids=[property_id], start=start, end=end).get(
        property_id, []
    )
