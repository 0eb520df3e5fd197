"""The database holds the booking invariants even when the application is bypassed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from domains.bookings.models import Booking, BookingStatus
from tests.factories import BookingFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _snapshot_of(booking: Booking) -> dict:
    fields = [
        "nightly_rate",
        "nights",
        "subtotal",
        "cleaning_fee",
        "service_fee",
        "total",
        "currency",
        "guests",
    ]
    return {name: getattr(booking, name) for name in fields}


def test_overlapping_active_booking_is_refused_by_postgres(on_postgres):
    first = BookingFactory()
    other_guest = UserFactory()
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            guest=other_guest,
            property=first.property,
            check_in=first.check_in + timedelta(days=1),
            check_out=first.check_out + timedelta(days=1),
            **_snapshot_of(first),
        )


@pytest.mark.parametrize("status", [BookingStatus.PENDING, BookingStatus.CONFIRMED])
def test_every_active_status_holds_dates(on_postgres, status):
    first = BookingFactory(status=status)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            guest=UserFactory(),
            property=first.property,
            check_in=first.check_in,
            check_out=first.check_out,
            **_snapshot_of(first),
        )


def test_checkout_day_is_free_for_the_next_guest(on_postgres):
    first = BookingFactory(status=BookingStatus.CONFIRMED)
    nights = (first.check_out - first.check_in).days
    second = Booking.objects.create(
        guest=UserFactory(),
        property=first.property,
        check_in=first.check_out,
        check_out=first.check_out + timedelta(days=nights),
        **_snapshot_of(first),
    )
    assert second.pk


@pytest.mark.parametrize(
    "status",
    [
        BookingStatus.CANCELLED,
        BookingStatus.DECLINED,
        BookingStatus.EXPIRED,
        BookingStatus.COMPLETED,
    ],
)
def test_inactive_bookings_release_their_dates(on_postgres, status):
    first = BookingFactory(status=status)
    second = Booking.objects.create(
        guest=UserFactory(),
        property=first.property,
        check_in=first.check_in,
        check_out=first.check_out,
        **_snapshot_of(first),
    )
    assert second.status == BookingStatus.PENDING


def test_reactivating_a_booking_over_taken_dates_fails(on_postgres):
    cancelled = BookingFactory(status=BookingStatus.CANCELLED)
    BookingFactory(
        property=cancelled.property, check_in=cancelled.check_in, check_out=cancelled.check_out
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CONFIRMED)


def test_other_properties_do_not_conflict(on_postgres):
    first = BookingFactory()
    other = BookingFactory(
        check_in=first.check_in, check_out=first.check_out, property=PropertyFactory()
    )
    assert other.pk


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"check_out_delta": 0}, "booking_dates_ordered"),
        ({"check_out_delta": -2}, "booking_dates_ordered"),
        ({"guests": 0}, "booking_guests_gte_1"),
        ({"total": "-1"}, "booking_money_non_negative"),
        ({"total": "1.00"}, "booking_total_is_sum"),
        ({"subtotal": "1.00"}, "booking_subtotal_is_rate_times_nights"),
        ({"status": "PAID"}, "booking_status_valid"),
    ],
)
def test_check_constraints(changes, constraint):
    booking = BookingFactory(status=BookingStatus.CANCELLED)
    update = dict(changes)
    if "check_out_delta" in update:
        update["check_out"] = booking.check_in + timedelta(days=update.pop("check_out_delta"))
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(**update)


def test_idempotency_key_is_unique_per_guest():
    first = BookingFactory(idempotency_key="key-1", status=BookingStatus.CANCELLED)
    # Another guest may use the same key.
    BookingFactory(idempotency_key="key-1", status=BookingStatus.CANCELLED)
    with (
        pytest.raises(IntegrityError, match=r"booking_idempotency_key_unique|UNIQUE"),
        transaction.atomic(),
    ):
        BookingFactory(guest=first.guest, idempotency_key="key-1", status=BookingStatus.CANCELLED)


@pytest.mark.parametrize(("rate", "nights"), [("19.99", 7), ("0.10", 3), ("123.45", 3)])
def test_exact_prices_pass_the_money_checks(rate, nights):
    """SQLite computes the checks with floats (19.99 x 7 = 139.92999...): they round."""
    listing = PropertyFactory(price_per_night=Decimal(rate), cleaning_fee=Decimal("0.10"))
    check_in = date.today() + timedelta(days=3)
    booking = BookingFactory(
        property=listing, check_in=check_in, check_out=check_in + timedelta(days=nights)
    )
    booking.full_clean()
    assert booking.subtotal == booking.nightly_rate * nights
