"""me.trips and me.reservations (status filters, Relay pages, a fixed number of queries), and
who may see a booking or a payment: its guest, its host, staff; nobody else."""

from datetime import date, timedelta

import pytest

from domains.bookings.models import BookingStatus
from domains.payments.models import PaymentStatus
from tests.domains.bookings.documents import DETAIL, RESERVATIONS, TRIPS
from tests.domains.bookings.helpers import gid
from tests.factories import (
    BookingFactory,
    PaymentFactory,
    PropertyFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PRIVATE = """
query($id: ID!) {
  node(id: $id) {
    ... on Booking { id guest { id email phone } payment { id clientSecret } }
    ... on Payment { id status clientSecret amount { amount } }
  }
}
"""


def trips(gql, **variables) -> dict:
    body = gql(TRIPS, variables)
    assert "errors" not in body, body
    return body["data"]["me"]["trips"]


def reservations(gql, **variables) -> dict:
    body = gql(RESERVATIONS, variables)
    assert "errors" not in body, body
    return body["data"]["me"]["reservations"]


def ids(connection) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


def test_trips_are_the_guests_bookings_newest_first_with_filters(gql, user):
    mine = [
        BookingFactory(guest=user, check_in=date.today() + timedelta(days=20 + i * 5))
        for i in range(3)
    ]
    BookingFactory()  # somebody else's
    mine[0].status = BookingStatus.CONFIRMED
    mine[0].save()
    result = trips(gql.login(user))
    assert result["totalCount"] == 3
    assert ids(result) == [gid("Booking", b.pk) for b in reversed(mine)]
    confirmed = trips(gql, status=["CONFIRMED"])
    assert ids(confirmed) == [gid("Booking", mine[0].pk)]
    both = trips(gql, status=["CONFIRMED", "PENDING"])
    assert both["totalCount"] == 3
    assert trips(gql, status=["CANCELLED"])["totalCount"] == 0


def test_trips_paginate(gql, user):
    for i in range(5):
        BookingFactory(guest=user, check_in=date.today() + timedelta(days=20 + i * 5))
    first = trips(gql.login(user), first=2)
    assert len(first["edges"]) == 2 and first["pageInfo"]["hasNextPage"] is True
    second = trips(gql, first=2, after=first["pageInfo"]["endCursor"])
    third = trips(gql, first=2, after=second["pageInfo"]["endCursor"])
    assert third["pageInfo"]["hasNextPage"] is False
    seen = ids(first) + ids(second) + ids(third)
    assert len(seen) == len(set(seen)) == 5
    body = gql(TRIPS, {"first": 101})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_reservations_are_the_bookings_of_the_hosts_listings(gql, host):
    listings = [PropertyFactory(host=host), PropertyFactory(host=host)]
    theirs = [BookingFactory(property=listing) for listing in listings]
    BookingFactory()  # another host's
    BookingFactory(guest=host)  # the host's own trip is not a reservation
    result = reservations(gql.login(host))
    assert sorted(ids(result)) == sorted(gid("Booking", b.pk) for b in theirs)
    assert reservations(gql, status=["COMPLETED"])["edges"] == []


def test_lists_are_owner_only(gql, user):
    BookingFactory(guest=user)
    query = """query($id: ID!) { node(id: $id) { ... on User {
        trips { totalCount } reservations { totalCount } } } }"""
    other = gql.login(UserFactory())(query, {"id": gid("User", user.pk)})
    assert other["data"]["node"] == {"trips": None, "reservations": None}
    staff = gql.login(UserFactory(is_staff=True))(query, {"id": gid("User", user.pk)})
    assert staff["data"]["node"]["trips"] == {"totalCount": 1}


def _fill(guest, count: int) -> None:
    for i in range(count):
        listing = PropertyFactory()
        listing.photos.create(
            image=f"properties/{listing.pk}/p.jpg", width=10, height=10, position=0
        )
        made = BookingFactory(
            guest=guest,
            property=listing,
            check_in=date.today() - timedelta(days=10 + i),
            check_out=date.today() - timedelta(days=8 + i),
            status=BookingStatus.COMPLETED,
        )
        PaymentFactory(booking=made, status=PaymentStatus.SUCCEEDED)
        if i % 2:
            ReviewFactory(booking=made, author=guest, property=listing)


def test_lists_take_a_fixed_number_of_queries(gql, user, django_assert_max_num_queries):
    _fill(user, 3)
    gql.login(user)
    with django_assert_max_num_queries(6) as small:
        result = trips(gql)
    _fill(user, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = trips(gql)
    assert result["totalCount"] == 15
    reviewable = [edge["node"]["canReview"] for edge in result["edges"]]
    assert True in reviewable and False in reviewable
    assert all(edge["node"]["property"]["coverPhoto"] for edge in result["edges"])
    assert all(edge["node"]["payment"]["status"] == "SUCCEEDED" for edge in result["edges"])


def test_reservations_take_a_fixed_number_of_queries(gql, host, django_assert_max_num_queries):
    for _ in range(8):
        PaymentFactory(booking=BookingFactory(property=PropertyFactory(host=host)))
    with django_assert_max_num_queries(6):
        result = reservations(gql.login(host))
    assert result["totalCount"] == 8


def test_node_shows_a_booking_to_its_guest_host_and_staff_only(gql):
    made = PaymentFactory().booking
    booking_id = gid("Booking", made.pk)
    for viewer in (made.guest, made.property.host, UserFactory(is_staff=True)):
        node = gql.login(viewer)(DETAIL, {"id": booking_id})["data"]["node"]
        assert node["id"] == booking_id and node["payment"]["status"] == "REQUIRES_PAYMENT"
    assert gql.login(UserFactory())(DETAIL, {"id": booking_id})["data"]["node"] is None
    anonymous = type(gql)()
    assert anonymous(DETAIL, {"id": booking_id})["data"]["node"] is None


def test_private_fields_of_a_booking(gql):
    payment = PaymentFactory()
    made = payment.booking
    made.guest.phone = "+351 900 000 000"
    made.guest.save()
    booking_id, payment_id = gid("Booking", made.pk), gid("Payment", payment.pk)
    as_host = gql.login(made.property.host)(PRIVATE, {"id": booking_id})["data"]["node"]
    assert as_host["guest"] == {"id": gid("User", made.guest.pk), "email": None, "phone": None}
    assert as_host["payment"]["clientSecret"] is None
    as_guest = gql.login(made.guest)(PRIVATE, {"id": booking_id})["data"]["node"]
    assert as_guest["guest"]["email"] == made.guest.email
    assert as_guest["payment"]["clientSecret"] == payment.client_secret
    # a payment by its own ID: the same rules
    assert gql.login(made.guest)(PRIVATE, {"id": payment_id})["data"]["node"]["clientSecret"]
    host_view = gql.login(made.property.host)(PRIVATE, {"id": payment_id})["data"]["node"]
    assert host_view["status"] == "REQUIRES_PAYMENT" and host_view["clientSecret"] is None
    assert gql.login(UserFactory())(PRIVATE, {"id": payment_id})["data"]["node"] is None


def test_can_cancel_and_can_review_are_per_viewer(gql):
    upcoming = BookingFactory(status=BookingStatus.CONFIRMED)
    done = BookingFactory(
        status=BookingStatus.COMPLETED,
        check_in=date.today() - timedelta(days=4),
        check_out=date.today() - timedelta(days=1),
    )
    query = "query($id: ID!) { node(id: $id) { ... on Booking { canCancel canReview } } }"

    def flags(viewer, item):
        node = gql.login(viewer)(query, {"id": gid("Booking", item.pk)})["data"]["node"]
        return node["canCancel"], node["canReview"]

    assert flags(upcoming.guest, upcoming) == (True, False)
    assert flags(upcoming.property.host, upcoming) == (True, False)
    assert flags(UserFactory(is_staff=True), upcoming) == (False, False)
    assert flags(done.guest, done) == (False, True)
    assert flags(done.property.host, done) == (False, False)
    ReviewFactory(booking=done, author=done.guest, property=done.property)
    assert flags(done.guest, done) == (False, False)
