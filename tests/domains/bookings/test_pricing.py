"""The price of a stay and the refund of a cancellation: Decimal, rounded half-up."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domains.bookings.models import BookingStatus
from domains.bookings.policies import cancellation_refund, check_in_moment
from domains.bookings.pricing import price_quote
from domains.properties.models import CancellationPolicy, Property
from tests.factories import BookingFactory, PropertyFactory

pytestmark = pytest.mark.django_db


def listing(**fields) -> Property:
    return Property(
        **{
            "price_per_night": Decimal("100.00"),
            "cleaning_fee": Decimal("30.00"),
            "currency": "EUR",
            **fields,
        }
    )


def test_price_is_nights_times_rate_plus_cleaning_plus_service_fee(settings):
    settings.SERVICE_FEE_RATE = Decimal("0.14")
    quote = price_quote(listing=listing(), check_in=date(2030, 5, 1), check_out=date(2030, 5, 4))
    assert quote.nights == 3
    assert quote.subtotal == Decimal("300.00")
    assert quote.cleaning_fee == Decimal("30.00")
    assert quote.service_fee == Decimal("46.20")  # 14 % of 330.00
    assert quote.total == Decimal("376.20")
    assert quote.currency == "EUR"


@pytest.mark.parametrize(
    ("rate", "cleaning", "fee_rate", "expected_fee"),
    [
        ("33.33", "0", "0.14", "4.67"),  # 4.6662 -> 4.67
        ("10.25", "0", "0.14", "1.44"),  # 1.435 -> 1.44: half-up, not banker's
        ("10.75", "0", "0.14", "1.51"),  # 1.505 -> 1.51
        ("99.99", "12.34", "0.125", "14.04"),  # (99.99 + 12.34) x 0.125 = 14.04125
    ],
)
def test_service_fee_rounds_half_up_to_the_cent(settings, rate, cleaning, fee_rate, expected_fee):
    settings.SERVICE_FEE_RATE = Decimal(fee_rate)
    quote = price_quote(
        listing=listing(price_per_night=Decimal(rate), cleaning_fee=Decimal(cleaning)),
        check_in=date(2030, 5, 1),
        check_out=date(2030, 5, 2),
    )
    assert quote.service_fee == Decimal(expected_fee)
    assert quote.total == quote.subtotal + quote.cleaning_fee + quote.service_fee
    assert all(isinstance(value, Decimal) for value in (quote.subtotal, quote.total))


def test_zero_decimal_currency_rounds_to_whole_units(settings):
    settings.SERVICE_FEE_RATE = Decimal("0.14")
    quote = price_quote(
        listing=listing(
            price_per_night=Decimal("12345"), cleaning_fee=Decimal("3000"), currency="JPY"
        ),
        check_in=date(2030, 5, 1),
        check_out=date(2030, 5, 3),
    )
    assert quote.service_fee == Decimal("3877")  # 0.14 x 27690 = 3876.6
    assert quote.total == Decimal("31567")


# --- refunds ---------------------------------------------------------------------------------
def confirmed(policy: str):
    return BookingFactory.build(
        property=PropertyFactory.build(cancellation_policy=policy),
        status=BookingStatus.CONFIRMED,
        check_in=date(2030, 6, 10),
        check_out=date(2030, 6, 13),
    )


def before_check_in(booking, delta: timedelta) -> datetime:
    return check_in_moment(booking.check_in) - delta


HALF = "half"
FULL = "full"
NONE = "none"


@pytest.mark.parametrize(
    ("policy", "before", "expected"),
    [
        (CancellationPolicy.FLEXIBLE, timedelta(days=3), FULL),
        (CancellationPolicy.FLEXIBLE, timedelta(hours=24), FULL),  # the boundary is included
        (CancellationPolicy.FLEXIBLE, timedelta(hours=23, minutes=59), NONE),
        (CancellationPolicy.MODERATE, timedelta(days=5), FULL),
        (CancellationPolicy.MODERATE, timedelta(days=4, hours=23), HALF),
        (CancellationPolicy.MODERATE, timedelta(hours=1), HALF),
        (CancellationPolicy.STRICT, timedelta(days=30), HALF),
        (CancellationPolicy.STRICT, timedelta(days=7), HALF),
        (CancellationPolicy.STRICT, timedelta(days=6, hours=23), NONE),
    ],
)
def test_guest_refund_follows_the_policy(policy, before, expected):
    booking = confirmed(policy)
    refund = cancellation_refund(
        booking=booking, by_host=False, now=before_check_in(booking, before)
    )
    half = ((booking.subtotal + booking.cleaning_fee) / 2).quantize(Decimal("0.01"))
    assert refund == {FULL: booking.total, HALF: half, NONE: Decimal("0")}[expected]


@pytest.mark.parametrize("policy", CancellationPolicy.values)
def test_host_cancellation_is_always_refunded_in_full(policy):
    booking = confirmed(policy)
    now = before_check_in(booking, timedelta(hours=1))
    assert cancellation_refund(booking=booking, by_host=True, now=now) == booking.total


def test_half_refund_keeps_the_service_fee_and_rounds_half_up():
    booking = confirmed(CancellationPolicy.STRICT)
    booking.subtotal, booking.cleaning_fee = Decimal("100.01"), Decimal("0.00")
    now = before_check_in(booking, timedelta(days=8))
    assert cancellation_refund(booking=booking, by_host=False, now=now) == Decimal("50.01")


def test_an_unconfirmed_booking_is_refunded_in_full():
    booking = confirmed(CancellationPolicy.STRICT)
    booking.status = BookingStatus.PENDING
    now = before_check_in(booking, timedelta(hours=2))
    assert cancellation_refund(booking=booking, by_host=False, now=now) == booking.total


def test_check_in_moment_is_the_check_in_hour_utc(settings):
    settings.BOOKING_CHECK_IN_HOUR = 15
    assert check_in_moment(date(2030, 1, 2)) == datetime(2030, 1, 2, 15, tzinfo=UTC)
