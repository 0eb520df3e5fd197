"""propertyCreate, propertyUpdate (publish, unpublish) and propertyDelete: success, every
refusal, and who may do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from strawberry.relay import to_base64

from domains.bookings.models import Booking, BookingStatus
from domains.payments.models import Payment
from domains.properties.models import Property
from tests.domains.properties.documents import CREATE, DELETE, DETAIL, SEARCH, UPDATE
from tests.factories import BookingFactory, PaymentFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "title": "  Sunny loft by the river ",
    "description": "Two rooms and a balcony.",
    "propertyType": "APARTMENT",
    "address": "Rua Augusta 10",
    "city": "Lisbon",
    "country": "Portugal",
    "latitude": 38.7105,
    "longitude": -9.1365,
    "pricePerNight": "95.50",
    "currency": "eur",
    "cleaningFee": "25",
    "maxGuests": 3,
    "bedrooms": 1,
    "beds": 2,
    "bathrooms": 1.5,
    "amenities": ["wifi", "kitchen", "wifi"],
    "instantBook": True,
    "cancellationPolicy": "FLEXIBLE",
    "minNights": 2,
    "maxNights": 14,
    "isPublished": True,
}


def gid(listing) -> str:
    return to_base64("Property", listing.pk)


def create(gql, **changes) -> dict:
    result = gql(CREATE, {"input": {**VALID, **changes}})
    assert "errors" not in result, result
    return result["data"]["propertyCreate"]


def update(gql, listing, **changes) -> dict:
    result = gql(UPDATE, {"input": {"id": gid(listing), **changes}})
    assert "errors" not in result, result
    return result["data"]["propertyUpdate"]


def delete(gql, listing) -> dict:
    result = gql(DELETE, {"input": {"id": gid(listing)}})
    assert "errors" not in result, result
    return result["data"]["propertyDelete"]


def codes(payload: dict) -> dict[str | None, str]:
    return {error["field"]: error["code"] for error in payload["errors"]}


# --- create --------------------------------------------------------------------------------------


def test_a_host_lists_a_place(gql, host):
    payload = create(gql.login(host))
    assert payload["errors"] == []
    listing = payload["property"]
    assert listing["title"] == "Sunny loft by the river"
    assert listing["pricePerNight"] == {"amount": "95.50", "currency": "EUR"}
    assert listing["cleaningFee"] == {"amount": "25.00", "currency": "EUR"}
    assert listing["latitude"] == pytest.approx(38.7105)
    assert sorted(a["code"] for a in listing["amenities"]) == ["kitchen", "wifi"]
    assert listing["host"]["id"] == to_base64("User", host.pk)
    assert (listing["minNights"], listing["maxNights"], listing["isPublished"]) == (2, 14, True)
    assert listing["cancellationPolicy"] == "FLEXIBLE" and listing["instantBook"] is True
    saved = Property.objects.get(host=host)
    assert saved.currency == "EUR" and saved.bathrooms == Decimal("1.5")
    # Published: guests find it.
    assert gql(SEARCH, {"filter": {"city": "Lisbon"}})["data"]["propertySearch"]["totalCount"] == 1


def test_optional_fields_take_their_defaults(gql, host):
    required = {k: VALID[k] for k in ("title", "propertyType", "address", "city", "country")}
    required |= {"latitude": 1.0, "longitude": 2.0, "pricePerNight": "80", "maxGuests": 2}
    result = gql.login(host)(CREATE, {"input": required})
    listing = result["data"]["propertyCreate"]["property"]
    assert listing["isPublished"] is False and listing["instantBook"] is False
    assert listing["pricePerNight"]["currency"] == "USD"
    assert listing["cancellationPolicy"] == "MODERATE" and listing["amenities"] == []
    assert (listing["minNights"], listing["maxNights"]) == (1, 30)


def test_a_guest_account_may_not_list(gql, user):
    result = gql.login(user)(CREATE, {"input": VALID})
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not Property.objects.exists()


def test_listing_needs_a_signed_in_host(gql):
    result = gql(CREATE, {"input": VALID})
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"title": "   "}, "title", "REQUIRED"),
        ({"title": "t" * 121}, "title", "INVALID"),
        ({"description": "d" * 5001}, "description", "INVALID"),
        ({"city": ""}, "city", "REQUIRED"),
        ({"latitude": 91.0}, "latitude", "INVALID"),
        ({"longitude": -180.5}, "longitude", "INVALID"),
        ({"pricePerNight": "0"}, "pricePerNight", "INVALID"),
        ({"pricePerNight": "-10"}, "pricePerNight", "INVALID"),
        ({"pricePerNight": "5000000"}, "pricePerNight", "INVALID"),
        ({"pricePerNight": "99.999"}, "pricePerNight", "INVALID"),
        ({"pricePerNight": "1500.50", "currency": "JPY"}, "pricePerNight", "INVALID"),
        ({"cleaningFee": "-1"}, "cleaningFee", "INVALID"),
        ({"currency": "XYZ"}, "currency", "INVALID"),
        ({"maxGuests": 0}, "maxGuests", "INVALID"),
        ({"maxGuests": 51}, "maxGuests", "INVALID"),
        ({"bedrooms": -1}, "bedrooms", "INVALID"),
        ({"bathrooms": 1.25}, "bathrooms", "INVALID"),
        ({"minNights": 0}, "minNights", "INVALID"),
        ({"minNights": 10, "maxNights": 5}, "maxNights", "INVALID"),
        ({"maxNights": 400}, "maxNights", "INVALID"),
        ({"amenities": ["wifi", "moat"]}, "amenities", "INVALID"),
    ],
)
def test_invalid_fields_are_typed_errors(gql, host, changes, field, code):
    payload = create(gql.login(host), **changes)
    assert payload["property"] is None
    assert codes(payload) == {field: code}
    assert all(error["message"] for error in payload["errors"])
    assert not Property.objects.exists()


def test_every_invalid_field_is_reported_at_once(gql, host):
    payload = create(gql.login(host), title="", latitude=100.0, amenities=["moat"])
    assert codes(payload) == {"title": "REQUIRED", "latitude": "INVALID", "amenities": "INVALID"}


# --- update --------------------------------------------------------------------------------------


def test_update_changes_only_the_fields_sent(gql):
    listing = PropertyFactory(title="Old title", instant_book=False, max_guests=4)
    payload = update(gql.login(listing.host), listing, title="New title", instantBook=True)
    assert payload["errors"] == []
    assert payload["property"]["title"] == "New title"
    assert payload["property"]["instantBook"] is True
    listing.refresh_from_db()
    assert (listing.title, listing.instant_book, listing.max_guests) == ("New title", True, 4)
    assert listing.city == "Lisbon" and listing.price_per_night == Decimal("100.00")


def test_publish_and_unpublish(gql):
    listing = PropertyFactory(is_published=False)
    client = gql.login(listing.host)
    assert update(client, listing, isPublished=True)["property"]["isPublished"] is True
    anonymous = type(gql)()
    assert anonymous(DETAIL, {"id": gid(listing)})["data"]["node"]["id"] == gid(listing)
    assert update(client, listing, isPublished=False)["property"]["isPublished"] is False
    assert anonymous(DETAIL, {"id": gid(listing)})["data"]["node"] is None


def test_null_clears_what_can_be_cleared_and_is_invalid_elsewhere(gql):
    listing = PropertyFactory(description="Words", cleaning_fee=Decimal("30"))
    listing.amenities.set([1, 2])
    client = gql.login(listing.host)
    payload = update(client, listing, description=None, cleaningFee=None, amenities=None)
    assert payload["errors"] == []
    listing.refresh_from_db()
    assert listing.description == "" and listing.cleaning_fee == 0
    assert listing.amenities.count() == 0
    payload = update(client, listing, title=None, pricePerNight=None)
    assert codes(payload) == {"title": "INVALID", "pricePerNight": "INVALID"}


def test_update_checks_rules_between_fields_on_the_result(gql):
    listing = PropertyFactory(min_nights=2, max_nights=10)
    payload = update(gql.login(listing.host), listing, minNights=12)
    assert codes(payload) == {"maxNights": "INVALID"}
    # A currency change must suit the price already there.
    payload = update(gql.login(listing.host), listing, currency="JPY")
    assert payload["errors"] == []  # 100.00 is a whole amount
    listing.refresh_from_db()
    assert listing.currency == "JPY"


def test_another_hosts_published_listing_is_forbidden(gql, host):
    listing = PropertyFactory(title="Theirs")
    payload = update(gql.login(host), listing, title="Mine now")
    assert codes(payload) == {"id": "FORBIDDEN"} and payload["property"] is None
    listing.refresh_from_db()
    assert listing.title == "Theirs"


@pytest.mark.parametrize("state", ["unpublished", "deleted"])
def test_listings_one_may_not_see_are_not_found(gql, host, state):
    fields = {"is_published": False} if state == "unpublished" else {"deleted_at": timezone.now()}
    listing = PropertyFactory(**fields)
    assert codes(update(gql.login(host), listing, title="x")) == {"id": "NOT_FOUND"}
    assert codes(delete(gql.login(host), listing)) == {"id": "NOT_FOUND"}


@pytest.mark.parametrize(
    "bad_id", ["nonsense", to_base64("User", 1), to_base64("Property", 999_999)]
)
def test_malformed_and_unknown_ids_are_not_found(gql, host, bad_id):
    client = gql.login(host)
    payload = client(UPDATE, {"input": {"id": bad_id, "title": "x"}})["data"]["propertyUpdate"]
    assert codes(payload) == {"id": "NOT_FOUND"}
    payload = client(DELETE, {"input": {"id": bad_id}})["data"]["propertyDelete"]
    assert codes(payload) == {"id": "NOT_FOUND"}


def test_update_needs_a_signed_in_user(gql):
    listing = PropertyFactory()
    result = gql(UPDATE, {"input": {"id": gid(listing), "title": "x"}})
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- delete --------------------------------------------------------------------------------------


def test_delete_hides_the_listing_and_keeps_its_history(gql):
    listing = PropertyFactory()
    past = BookingFactory(
        property=listing,
        status=BookingStatus.COMPLETED,
        check_in=date.today() - timedelta(days=10),
        check_out=date.today() - timedelta(days=7),
    )
    PaymentFactory(booking=past)
    BookingFactory(property=listing, status=BookingStatus.CANCELLED)  # upcoming but cancelled
    payload = delete(gql.login(listing.host), listing)
    assert payload == {"deletedId": gid(listing), "errors": []}
    listing.refresh_from_db()
    assert listing.deleted_at is not None and listing.is_published is False
    assert Booking.objects.filter(property=listing).count() == 2
    assert Payment.objects.filter(booking__property=listing).count() == 1
    assert gql(DETAIL, {"id": gid(listing)})["data"]["node"] is None
    assert gql(SEARCH, {})["data"]["propertySearch"]["totalCount"] == 0
    # A second delete: it is gone.
    assert codes(delete(gql, listing)) == {"id": "NOT_FOUND"}


@pytest.mark.parametrize(
    ("status", "starts_in"),
    [
        (BookingStatus.PENDING, 20),
        (BookingStatus.CONFIRMED, 20),
        (BookingStatus.CONFIRMED, -1),  # the guest is there now
    ],
)
def test_delete_is_refused_with_active_bookings_ahead(gql, status, starts_in):
    listing = PropertyFactory()
    check_in = date.today() + timedelta(days=starts_in)
    BookingFactory(
        property=listing, status=status, check_in=check_in, check_out=check_in + timedelta(3)
    )
    payload = delete(gql.login(listing.host), listing)
    assert codes(payload) == {None: "HAS_ACTIVE_BOOKINGS"} and payload["deletedId"] is None
    listing.refresh_from_db()
    assert listing.deleted_at is None


def test_delete_of_another_hosts_listing_is_forbidden(gql):
    listing = PropertyFactory()
    assert codes(delete(gql.login(UserFactory(is_host=True)), listing)) == {"id": "FORBIDDEN"}
    listing.refresh_from_db()
    assert listing.deleted_at is None
