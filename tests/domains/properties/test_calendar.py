"""propertyDatesBlock (merge, split, refusals, the row lock) and unavailableDates."""

import threading
from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, connections, transaction
from strawberry.relay import to_base64

from domains.bookings.models import BookingStatus
from domains.properties import services
from domains.properties.models import BlockedPeriod, Property
from tests.domains.properties.documents import AVAILABILITY, DATES_BLOCK
from tests.factories import BlockedPeriodFactory, BookingFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


def d(n: int) -> date:
    return TODAY + timedelta(days=n)


def nights(start: int, stop: int) -> list[str]:
    return [d(n).isoformat() for n in range(start, stop)]


def block(gql, listing, start: int, end: int, blocked=True, window=(0, 60)) -> dict:
    variables = {
        "input": {
            "propertyId": to_base64("Property", listing.pk),
            "startDate": d(start).isoformat(),
            "endDate": d(end).isoformat(),
            "blocked": blocked,
        },
        "from": d(window[0]).isoformat(),
        "to": d(window[1]).isoformat(),
    }
    result = gql(DATES_BLOCK, variables)
    assert "errors" not in result, result
    return result["data"]["propertyDatesBlock"]


def periods(listing) -> list[tuple[int, int]]:
    return [
        ((b.start_date - TODAY).days, (b.end_date - TODAY).days)
        for b in BlockedPeriod.objects.filter(property=listing).order_by("start_date")
    ]


def codes(payload: dict) -> dict:
    return {error["field"]: error["code"] for error in payload["errors"]}


def test_blocking_shows_in_unavailable_dates(gql):
    listing = PropertyFactory()
    payload = block(gql.login(listing.host), listing, 5, 8)
    assert payload["errors"] == []
    assert payload["property"]["unavailableDates"] == nights(5, 8)
    assert periods(listing) == [(5, 8)]


def test_blocks_merge_when_they_overlap_or_touch(gql):
    listing = PropertyFactory()
    client = gql.login(listing.host)
    block(client, listing, 5, 8)
    block(client, listing, 12, 15)
    block(client, listing, 8, 10)  # touches the first
    assert periods(listing) == [(5, 10), (12, 15)]
    payload = block(client, listing, 9, 13)  # bridges both
    assert periods(listing) == [(5, 15)]
    assert payload["property"]["unavailableDates"] == nights(5, 15)
    block(client, listing, 6, 7)  # inside: nothing changes
    assert periods(listing) == [(5, 15)]


def test_unblocking_part_of_a_block_splits_it(gql):
    listing = PropertyFactory()
    client = gql.login(listing.host)
    block(client, listing, 5, 15)
    payload = block(client, listing, 8, 10, blocked=False)
    assert periods(listing) == [(5, 8), (10, 15)]
    assert payload["property"]["unavailableDates"] == nights(5, 8) + nights(10, 15)
    block(client, listing, 3, 6, blocked=False)  # the start
    block(client, listing, 14, 20, blocked=False)  # the end
    assert periods(listing) == [(6, 8), (10, 14)]
    block(client, listing, 0, 30, blocked=False)  # everything
    assert periods(listing) == []


def test_blocking_nights_of_an_active_booking_is_refused(gql):
    listing = PropertyFactory()
    BookingFactory(property=listing, check_in=d(10), check_out=d(13))
    BookingFactory(
        property=listing, status=BookingStatus.CANCELLED, check_in=d(20), check_out=d(23)
    )
    client = gql.login(listing.host)
    payload = block(client, listing, 12, 16)
    assert codes(payload) == {None: "DATES_UNAVAILABLE"} and payload["property"] is None
    assert periods(listing) == []
    # Around the booking (check-out day is free) and over a cancelled one: fine.
    assert block(client, listing, 13, 16)["errors"] == []
    assert block(client, listing, 20, 23)["errors"] == []
    assert block(client, listing, 5, 10)["errors"] == []


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (-1, 3, "startDate"),
        (5, 5, "endDate"),
        (6, 5, "endDate"),
        (10, 800, "endDate"),
    ],
)
def test_bad_dates_are_invalid(gql, start, end, field):
    listing = PropertyFactory()
    payload = block(gql.login(listing.host), listing, start, end)
    assert codes(payload) == {field: "INVALID"}


def test_only_the_host_blocks_dates(gql):
    published = PropertyFactory()
    draft = PropertyFactory(is_published=False)
    client = gql.login(UserFactory(is_host=True))
    assert codes(block(client, published, 5, 8)) == {"propertyId": "FORBIDDEN"}
    assert codes(block(client, draft, 5, 8)) == {"propertyId": "NOT_FOUND"}
    assert not BlockedPeriod.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_blocking_holds_the_listings_row_lock(on_postgres):
    """The booking service locks the listing's row before it checks and inserts; blocking
    holds the same lock, so the two cannot interleave."""
    listing = PropertyFactory()
    outcome = {}

    def try_to_lock():
        try:
            with transaction.atomic():
                Property.objects.select_for_update(nowait=True).get(pk=listing.pk)
            outcome["locked"] = False
        except DatabaseError:
            outcome["locked"] = True
        finally:
            connections.close_all()

    with transaction.atomic():
        services.property_dates_block(
            actor=listing.host, property_id=listing.pk, start_date=d(5), end_date=d(8), blocked=True
        )
        thread = threading.Thread(target=try_to_lock)
        thread.start()
        thread.join()
    assert outcome == {"locked": True}
    assert connection.vendor == "postgresql"


# --- unavailableDates ----------------------------------------------------------------------------


def availability(gql, listing, start: int, end: int) -> dict:
    variables = {"from": d(start).isoformat(), "to": d(end).isoformat()}
    return gql(AVAILABILITY, {"id": to_base64("Property", listing.pk), **variables})


def test_unavailable_dates_lists_booked_and_blocked_nights_in_the_window(gql):
    listing = PropertyFactory()
    BookingFactory(property=listing, check_in=d(3), check_out=d(6))
    BookingFactory(property=listing, status=BookingStatus.CONFIRMED, check_in=d(6), check_out=d(8))
    BookingFactory(property=listing, status=BookingStatus.DECLINED, check_in=d(10), check_out=d(12))
    BlockedPeriodFactory(property=listing, start_date=d(14), end_date=d(20))
    other = PropertyFactory()
    BookingFactory(property=other, check_in=d(1), check_out=d(30))
    result = availability(gql, listing, 4, 16)["data"]["node"]
    assert result["unavailableDates"] == nights(4, 8) + nights(14, 16)


@pytest.mark.parametrize(("start", "end"), [(10, 10), (10, 5), (0, 367)])
def test_unavailable_dates_window_is_checked(gql, start, end):
    listing = PropertyFactory()
    result = availability(gql, listing, start, end)
    (error,) = result["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "to"}


def test_unavailable_dates_of_a_hidden_listing_is_null(gql):
    listing = PropertyFactory(is_published=False)
    assert availability(gql, listing, 0, 30)["data"]["node"] is None
