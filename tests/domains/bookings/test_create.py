"""bookingCreate: the price snapshot, the hold, idempotency, and no overlap under any race."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from domains.bookings import services
from domains.bookings.models import Booking, BookingStatus
from domains.properties.models import CancellationPolicy
from tests.conftest import GraphQLClient
from tests.domains.bookings.documents import CREATE
from tests.domains.bookings.helpers import booking, booking_input
from tests.factories import BookingFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


def create(gql, variables) -> dict:
    body = gql(CREATE, {"input": variables})
    assert "errors" not in body, body
    return body["data"]["bookingCreate"]


def codes(result) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in result["errors"]]


def test_booking_holds_the_dates_with_a_price_snapshot(gql, user, settings):
    settings.BOOKING_HOLD_MINUTES = 30
    listing = PropertyFactory(
        instant_book=True, cancellation_policy=CancellationPolicy.STRICT, max_guests=3
    )
    before = timezone.now()
    result = create(gql.login(user), booking_input(listing, nights=2, guests=3, message="Hi!"))
    assert result["errors"] == []
    made = result["booking"]
    assert made["status"] == "PENDING"
    assert (made["nights"], made["guests"], made["message"]) == (2, 3, "Hi!")
    assert made["price"]["total"] == {"amount": "262.20", "currency": "EUR"}  # 230 + 14 %
    assert made["guest"]["id"] and made["property"]["host"]["name"] == listing.host.name
    assert made["payment"] is None
    assert (made["canCancel"], made["canReview"]) == (True, False)
    stored = booking(made["id"])
    assert stored.guest == user and stored.total == Decimal("262.20")
    assert stored.instant_book is True and stored.cancellation_policy == "STRICT"
    hold = stored.hold_expires_at - before
    assert timedelta(minutes=29) < hold <= timedelta(minutes=30, seconds=5)
    # A later change of the listing does not touch the booking's price or terms.
    listing.price_per_night = Decimal("999.00")
    listing.instant_book = False
    listing.save()
    stored.refresh_from_db()
    assert stored.nightly_rate == Decimal("100.00") and stored.instant_book is True


def test_needs_a_signed_in_user(gql):
    body = gql(CREATE, {"input": booking_input(PropertyFactory())})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_an_unverified_email_may_book(gql):
    guest = UserFactory(is_verified=False)
    assert create(gql.login(guest), booking_input(PropertyFactory()))["errors"] == []


def test_the_same_idempotency_key_returns_the_same_booking(gql, user):
    listing = PropertyFactory()
    variables = booking_input(listing, idempotencyKey="attempt-1")
    first = create(gql.login(user), variables)["booking"]
    again = create(gql, variables)["booking"]
    assert again["id"] == first["id"]
    assert Booking.objects.filter(guest=user).count() == 1
    # The same key with another stay is a client bug, not a second booking.
    other = create(gql, {**booking_input(listing, days_ahead=50), "idempotencyKey": "attempt-1"})
    assert codes(other) == [("idempotencyKey", "INVALID")]
    # Keys are per guest.
    someone = create(
        GraphQLClient().login(UserFactory()),
        booking_input(listing, days_ahead=60, idempotencyKey="attempt-1"),
    )
    assert someone["errors"] == []


def test_the_replayed_booking_comes_back_even_when_it_changed(gql, user):
    variables = booking_input(PropertyFactory(), idempotencyKey="k")
    first = create(gql.login(user), variables)["booking"]
    Booking.objects.filter(pk=booking(first["id"]).pk).update(status=BookingStatus.EXPIRED)
    again = create(gql, variables)["booking"]
    assert (again["id"], again["status"]) == (first["id"], "EXPIRED")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"message": "x" * 2001}, "message"),
        ({"idempotencyKey": "k" * 65}, "idempotencyKey"),
        ({"idempotencyKey": "clé"}, "idempotencyKey"),
    ],
)
def test_input_limits(gql, user, extra, field):
    result = create(gql.login(user), booking_input(PropertyFactory(), **extra))
    assert codes(result) == [(field, "INVALID")]
    assert not Booking.objects.exists()


def test_message_is_plain_trimmed_text(gql, user):
    result = create(gql.login(user), booking_input(PropertyFactory(), message="  hi\x00 there\n "))
    assert booking(result["booking"]["id"]).message == "hi there"


def test_overlapping_dates_are_refused(gql, user):
    taken = BookingFactory(status=BookingStatus.CONFIRMED)
    variables = {
        **booking_input(taken.property),
        "checkIn": str(taken.check_in + timedelta(days=1)),
        "checkOut": str(taken.check_out + timedelta(days=1)),
    }
    assert codes(create(gql.login(user), variables)) == [(None, "DATES_UNAVAILABLE")]


@pytest.mark.parametrize(
    "status",
    [BookingStatus.CANCELLED, BookingStatus.DECLINED, BookingStatus.EXPIRED],
)
def test_ended_bookings_free_their_dates(gql, user, status):
    old = BookingFactory(status=status)
    variables = {
        **booking_input(old.property),
        "checkIn": str(old.check_in),
        "checkOut": str(old.check_out),
    }
    assert create(gql.login(user), variables)["errors"] == []


def test_unpaid_holds_per_guest_are_limited(gql, user, settings):
    settings.BOOKING_MAX_PENDING_PER_GUEST = 2
    for days in (30, 40):
        BookingFactory(guest=user, check_in=timezone.now().date() + timedelta(days=days))
    result = create(gql.login(user), booking_input(PropertyFactory()))
    assert codes(result) == [(None, "LIMIT_EXCEEDED")]


def test_a_lost_race_hits_the_exclusion_constraint_and_is_dates_unavailable(
    on_postgres, gql, user, monkeypatch
):
    """The application check passed (as it would in a race), the constraint refuses."""
    taken = BookingFactory()
    monkeypatch.setattr(services.availability, "is_available", lambda **kwargs: True)
    variables = {
        **booking_input(taken.property),
        "checkIn": str(taken.check_in),
        "checkOut": str(taken.check_out),
    }
    assert codes(create(gql.login(user), variables)) == [(None, "DATES_UNAVAILABLE")]
    assert Booking.objects.count() == 1


def _in_threads(count: int, work) -> list:
    """Run work(i) in `count` threads started together, each with its own connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # reported by the assertions below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_overlapping_dates_one_wins(on_postgres):
    listing = PropertyFactory(max_guests=4)
    guests = [UserFactory() for _ in range(20)]
    clients = [GraphQLClient().login(guest) for guest in guests]

    def book(index: int):
        # Every request overlaps every other one: the stays share the night 32 days ahead.
        response = clients[index].post(
            CREATE, {"input": booking_input(listing, days_ahead=30 + index % 3, nights=3)}
        )
        return response.status_code, response.json()

    results = _in_threads(len(clients), book)
    assert all(isinstance(result, tuple) for result in results), results
    assert {status for status, _ in results} == {200}
    payloads = [body["data"]["bookingCreate"] for _, body in results]
    won = [payload for payload in payloads if not payload["errors"]]
    lost = [payload for payload in payloads if payload["errors"]]
    assert len(won) == 1
    assert all(codes(payload) == [(None, "DATES_UNAVAILABLE")] for payload in lost)
    assert Booking.objects.filter(property=listing).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_booking(on_postgres):
    listing = PropertyFactory()
    guest = UserFactory()
    variables = {"input": booking_input(listing, idempotencyKey="double-click")}

    def book(index: int):
        response = GraphQLClient().login(guest).post(CREATE, variables)
        return response.status_code, response.json()

    results = _in_threads(8, book)
    assert {status for status, _ in results} == {200}
    ids = {body["data"]["bookingCreate"]["booking"]["id"] for _, body in results}
    assert len(ids) == 1
    assert Booking.objects.filter(guest=guest).count() == 1
