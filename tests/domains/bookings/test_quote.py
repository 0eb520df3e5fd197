"""bookingQuote: the server's price, and a typed error for every reason a stay cannot be
booked."""

from datetime import date, timedelta

import pytest

from tests.domains.bookings.documents import QUOTE
from tests.domains.bookings.helpers import booking_input, gid
from tests.factories import BlockedPeriodFactory, BookingFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


def quote(gql, variables) -> dict:
    body = gql(QUOTE, {"input": variables})
    assert "errors" not in body, body
    return body["data"]["bookingQuote"]


def error_codes(result) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in result["errors"]]


def test_anybody_gets_the_price(gql, settings):
    listing = PropertyFactory(price_per_night="120.50", cleaning_fee="25.00", currency="EUR")
    result = quote(gql, booking_input(listing, nights=4))
    assert result["errors"] == []
    assert result["quote"] == {
        "nights": 4,
        "nightlyRate": {"amount": "120.50", "currency": "EUR"},
        "subtotal": {"amount": "482.00", "currency": "EUR"},
        "cleaningFee": {"amount": "25.00", "currency": "EUR"},
        "serviceFee": {"amount": "70.98", "currency": "EUR"},  # 14 % of 507.00
        "total": {"amount": "577.98", "currency": "EUR"},
    }


def test_the_quote_holds_nothing(gql):
    listing = PropertyFactory()
    quote(gql, booking_input(listing))
    assert not listing.bookings.exists()


def test_booked_and_blocked_nights_are_unavailable(gql):
    listing = PropertyFactory()
    booked = BookingFactory(property=listing)
    BlockedPeriodFactory(property=listing, start_date=date.today() + timedelta(days=60))
    overlap_booking = {
        **booking_input(listing),
        "checkIn": (booked.check_out - timedelta(days=1)).isoformat(),
        "checkOut": (booked.check_out + timedelta(days=2)).isoformat(),
    }
    assert error_codes(quote(gql, overlap_booking)) == [(None, "DATES_UNAVAILABLE")]
    assert error_codes(quote(gql, booking_input(listing, days_ahead=59, nights=2))) == [
        (None, "DATES_UNAVAILABLE")
    ]
    # check-out is exclusive: arriving on the day the other guest leaves is fine
    after = {
        **booking_input(listing),
        "checkIn": booked.check_out.isoformat(),
        "checkOut": (booked.check_out + timedelta(days=2)).isoformat(),
    }
    assert quote(gql, after)["errors"] == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"guests": 5}, [("guests", "TOO_MANY_GUESTS")]),
        ({"guests": 0}, [("guests", "INVALID")]),
        ({"nights": 1, "min_nights": 2}, [("checkOut", "MIN_NIGHTS")]),
        ({"nights": 8, "max_nights": 7}, [("checkOut", "MAX_NIGHTS")]),
        ({"is_published": False, "viewer": "staff"}, [("propertyId", "NOT_PUBLISHED")]),
        ({"viewer": "host"}, [("propertyId", "OWN_LISTING")]),
    ],
)
def test_listing_rules(gql, changes, expected):
    changes = dict(changes)
    nights = changes.pop("nights", 3)
    guests = changes.pop("guests", 2)
    viewer = changes.pop("viewer", None)
    listing = PropertyFactory(max_guests=4, **changes)
    if viewer == "host":
        gql.login(listing.host)
    elif viewer == "staff":
        gql.login(UserFactory(is_staff=True))
    result = quote(gql, booking_input(listing, nights=nights, guests=guests))
    assert result["quote"] is None
    assert error_codes(result) == expected


def test_an_unpublished_listing_is_unknown_to_guests(gql):
    listing = PropertyFactory(is_published=False)
    gql.login(UserFactory())
    assert error_codes(quote(gql, booking_input(listing))) == [("propertyId", "NOT_FOUND")]


@pytest.mark.parametrize("property_id", ["nope", gid("User", 1), gid("Property", 999_999)])
def test_unknown_listing(gql, property_id):
    result = quote(gql, {**booking_input(PropertyFactory()), "propertyId": property_id})
    assert error_codes(result) == [("propertyId", "NOT_FOUND")]


def test_bad_dates_are_invalid_with_their_field(gql, settings):
    settings.BOOKING_MAX_DAYS_AHEAD = 365
    listing = PropertyFactory()
    today = date.today()
    cases = {
        "past": (today - timedelta(days=1), today + timedelta(days=2), "checkIn"),
        "too far": (today + timedelta(days=366), today + timedelta(days=368), "checkIn"),
        "inverted": (today + timedelta(days=5), today + timedelta(days=3), "checkOut"),
        "empty": (today + timedelta(days=5), today + timedelta(days=5), "checkOut"),
    }
    for check_in, check_out, field in cases.values():
        result = quote(
            gql,
            {**booking_input(listing), "checkIn": str(check_in), "checkOut": str(check_out)},
        )
        assert error_codes(result) == [(field, "INVALID")]
    # today and exactly the last day ahead are fine
    for first in (today, today + timedelta(days=365)):
        result = quote(
            gql,
            {
                **booking_input(listing),
                "checkIn": str(first),
                "checkOut": str(first + timedelta(days=2)),
            },
        )
        assert result["errors"] == []


def test_several_input_problems_are_reported_together(gql):
    listing = PropertyFactory()
    today = date.today()
    variables = {
        **booking_input(listing, guests=0),
        "checkIn": str(today - timedelta(days=3)),
        "checkOut": str(today - timedelta(days=4)),
    }
    assert sorted(error_codes(quote(gql, variables))) == [
        ("checkIn", "INVALID"),
        ("checkOut", "INVALID"),
        ("guests", "INVALID"),
    ]


def test_malformed_date_is_a_graphql_error(gql):
    body = gql(QUOTE, {"input": {**booking_input(PropertyFactory()), "checkIn": "tomorrow"}})
    assert body["errors"] and body.get("data") is None
