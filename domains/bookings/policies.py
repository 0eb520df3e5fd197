"""How much of a booking is refunded when it ends early.

- The host cancels or declines, a request expires unanswered, or the guest cancels a booking
  that is not confirmed yet: the whole total, service fee included.
- The guest cancels a confirmed booking: the listing's cancellation policy (as it was when the
  booking was made), counted back from check-in (BOOKING_CHECK_IN_HOUR, UTC, of the check-in
  day):
    FLEXIBLE  the whole total until 24 hours before check-in, nothing after;
    MODERATE  the whole total until 5 days before, half after;
    STRICT    half until 7 days before, nothing after.
  "Half" is 50 % of the subtotal and the cleaning fee, rounded half-up to the minor unit; the
  guest service fee is refunded only with a full refund.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings

from domains.bookings.models import Booking, BookingStatus
from domains.properties.models import CancellationPolicy
from domains.shared.money import quantize

HALF = Decimal("0.5")

# (full refund while at least this long before check-in, else partial share, and partial share
# while at least `partial_until` before check-in, else nothing)
_WINDOWS: dict[str, tuple[timedelta | None, timedelta | None]] = {
    CancellationPolicy.FLEXIBLE: (timedelta(hours=24), None),
    CancellationPolicy.MODERATE: (timedelta(days=5), timedelta(0)),
    CancellationPolicy.STRICT: (None, timedelta(days=7)),
}


def check_in_moment(check_in: date) -> datetime:
    """When the stay starts: the cancellation windows count back from here."""
    return datetime.combine(check_in, time(hour=settings.BOOKING_CHECK_IN_HOUR), tzinfo=UTC)


def has_started(booking: Booking, now: datetime) -> bool:
    return now >= check_in_moment(booking.check_in)


def half_refund(booking: Booking) -> Decimal:
    return quantize((booking.subtotal + booking.cleaning_fee) * HALF, booking.currency)


def cancellation_refund(*, booking: Booking, by_host: bool, now: datetime) -> Decimal:
    """The refund owed when `booking` is cancelled at `now` (before any cap by what was paid)."""
    if by_host or booking.status != BookingStatus.CONFIRMED:
        return booking.total
    full_until, half_until = _WINDOWS[booking.cancellation_policy]
    before = check_in_moment(booking.check_in) - now
    if full_until is not None and before >= full_until:
        return booking.total
    if half_until is not None and before >= half_until:
        return half_refund(booking)
    return Decimal("0")
