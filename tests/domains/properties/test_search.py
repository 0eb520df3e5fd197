"""propertySearch: each filter and sort proven with data that only it tells apart, pagination,
visibility, bad arguments, and a query count that does not grow with the page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from strawberry.relay import to_base64

from domains.bookings.models import BookingStatus
from domains.properties.models import Amenity, Property, PropertyPhoto
from tests.domains.properties.documents import SEARCH
from tests.factories import (
    BlockedPeriodFactory,
    BookingFactory,
    PropertyFactory,
    UserFactory,
    amenity,
)

pytestmark = pytest.mark.django_db

TODAY = date.today()
SIZE = {"width": 800, "height": 600}  # known dimensions: no file is read


def search(gql, filter=None, sort=None, first=None, after=None) -> dict:
    variables = {"filter": filter, "sort": sort, "first": first, "after": after}
    result = gql(SEARCH, {k: v for k, v in variables.items() if v is not None})
    assert "errors" not in result, result
    return result["data"]["propertySearch"]


def titles(connection: dict) -> list[str]:
    return [edge["node"]["title"] for edge in connection["edges"]]


def bad_input(gql, filter=None, **variables) -> dict:
    result = gql(SEARCH, {"filter": filter, **variables})
    assert result["data"] is None, result
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    return error


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


# --- visibility ----------------------------------------------------------------------------------


def test_only_published_listings_that_are_not_deleted(gql):
    PropertyFactory(title="Public")
    hidden = PropertyFactory(title="Draft", is_published=False)
    PropertyFactory(title="Gone", deleted_at=timezone.now())
    assert titles(search(gql)) == ["Public"]
    # Not even for their host: drafts are in `me.listings`, not in search.
    assert titles(search(gql.login(hidden.host))) == ["Public"]


# --- filters -------------------------------------------------------------------------------------


def test_city_and_country_ignore_letter_case(gql):
    PropertyFactory(title="Lisbon flat", city="Lisbon", country="Portugal")
    PropertyFactory(title="Porto flat", city="Porto", country="Portugal")
    PropertyFactory(title="Madrid flat", city="Madrid", country="Spain")
    assert titles(search(gql, {"city": "lisbon"})) == ["Lisbon flat"]
    assert sorted(titles(search(gql, {"country": "PORTUGAL"}))) == ["Lisbon flat", "Porto flat"]
    assert titles(search(gql, {"city": "Porto", "country": "Spain"})) == []


def test_guests(gql):
    PropertyFactory(title="Studio", max_guests=2)
    PropertyFactory(title="House", max_guests=6)
    assert titles(search(gql, {"guests": 3})) == ["House"]
    assert sorted(titles(search(gql, {"guests": 2}))) == ["House", "Studio"]


def test_price_range_and_currency(gql):
    PropertyFactory(title="Cheap", price_per_night=Decimal("40"))
    PropertyFactory(title="Middle", price_per_night=Decimal("100"))
    PropertyFactory(title="Dear", price_per_night=Decimal("400"))
    PropertyFactory(title="Yen", price_per_night=Decimal("15000"), currency="JPY")
    assert titles(search(gql, {"minPrice": "50", "maxPrice": "150"})) == ["Middle"]
    assert titles(search(gql, {"minPrice": "100", "maxPrice": "100"})) == ["Middle"]
    assert titles(search(gql, {"minPrice": "300", "currency": "eur"})) == ["Dear"]
    assert titles(search(gql, {"currency": "JPY"})) == ["Yen"]


def test_property_types(gql):
    PropertyFactory(title="Flat", property_type="APARTMENT")
    PropertyFactory(title="Cabin", property_type="CABIN")
    PropertyFactory(title="Villa", property_type="VILLA")
    found = titles(search(gql, {"propertyTypes": ["CABIN", "VILLA"]}))
    assert sorted(found) == ["Cabin", "Villa"]


def test_amenities_must_all_be_offered(gql):
    both = PropertyFactory(title="Both")
    both.amenities.set([amenity("wifi"), amenity("pool"), amenity("tv")])
    wifi_only = PropertyFactory(title="Wifi only")
    wifi_only.amenities.set([amenity("wifi")])
    PropertyFactory(title="None")
    assert titles(search(gql, {"amenities": ["wifi", "pool"]})) == ["Both"]
    assert sorted(titles(search(gql, {"amenities": ["wifi"]}))) == ["Both", "Wifi only"]


def test_min_rating_leaves_out_unrated_and_lower(gql):
    PropertyFactory(title="Great", rating_average=Decimal("4.80"), review_count=10)
    PropertyFactory(title="Fine", rating_average=Decimal("3.90"), review_count=4)
    PropertyFactory(title="New")
    assert titles(search(gql, {"minRating": 4.5})) == ["Great"]
    assert sorted(titles(search(gql, {"minRating": 3.9}))) == ["Fine", "Great"]


def test_instant_book(gql):
    PropertyFactory(title="Instant", instant_book=True)
    PropertyFactory(title="Request", instant_book=False)
    assert titles(search(gql, {"instantBook": True})) == ["Instant"]
    assert titles(search(gql, {"instantBook": False})) == ["Request"]


def test_dates_leave_out_booked_and_blocked_listings(gql):
    check_in, check_out = TODAY + timedelta(days=20), TODAY + timedelta(days=23)
    free = PropertyFactory(title="Free")
    booked = PropertyFactory(title="Booked")
    BookingFactory(property=booked, check_in=check_in + timedelta(days=2), check_out=check_out)
    confirmed = PropertyFactory(title="Confirmed")
    BookingFactory(
        property=confirmed,
        status=BookingStatus.CONFIRMED,
        check_in=check_in - timedelta(days=3),
        check_out=check_in + timedelta(days=1),
    )
    cancelled = PropertyFactory(title="Cancelled booking")
    BookingFactory(
        property=cancelled, status=BookingStatus.CANCELLED, check_in=check_in, check_out=check_out
    )
    back_to_back = PropertyFactory(title="Back to back")
    BookingFactory(property=back_to_back, check_in=check_out, check_out=check_out + timedelta(3))
    BookingFactory(property=back_to_back, check_in=check_in - timedelta(3), check_out=check_in)
    blocked = PropertyFactory(title="Blocked")
    BlockedPeriodFactory(property=blocked, start_date=check_out - timedelta(days=1))

    found = search(gql, {"checkIn": check_in.isoformat(), "checkOut": check_out.isoformat()})
    assert sorted(titles(found)) == ["Back to back", "Cancelled booking", "Free"]
    assert free and found["totalCount"] == 3
    # Without dates, every listing is there.
    assert search(gql)["totalCount"] == 6


def test_dates_respect_minimum_and_maximum_stay(gql):
    PropertyFactory(title="Weekly", min_nights=7, max_nights=30)
    PropertyFactory(title="Short", min_nights=1, max_nights=3)
    three = {"checkIn": days(10), "checkOut": days(13)}
    week = {"checkIn": days(10), "checkOut": days(17)}
    assert titles(search(gql, three)) == ["Short"]
    assert titles(search(gql, week)) == ["Weekly"]


def test_near_keeps_listings_inside_the_radius_and_sorts_by_distance(gql):
    # Around Lisbon's centre (38.7223, -9.1393): about 1 km, 8 km and 270 km (Porto) away.
    PropertyFactory(title="Baixa", latitude=Decimal("38.7110"), longitude=Decimal("-9.1370"))
    PropertyFactory(title="Belem", latitude=Decimal("38.6970"), longitude=Decimal("-9.2060"))
    PropertyFactory(title="Porto", latitude=Decimal("41.1579"), longitude=Decimal("-8.6291"))
    near = {"latitude": 38.7223, "longitude": -9.1393}
    found = search(gql, {"near": {**near, "radiusKm": 10}}, sort="DISTANCE")
    assert titles(found) == ["Baixa", "Belem"]
    assert titles(search(gql, {"near": {**near, "radiusKm": 3}})) == ["Baixa"]
    wide = search(gql, {"near": {**near, "radiusKm": 300}}, sort="DISTANCE")
    assert titles(wide) == ["Baixa", "Belem", "Porto"]


def test_near_across_the_antimeridian(gql):
    # Fiji's Taveuni (179.9 E) and Vanua Levu's east tip (-179.9, i.e. 179.9 W): ~22 km apart.
    PropertyFactory(title="East", latitude=Decimal("-16.8"), longitude=Decimal("179.9"))
    PropertyFactory(title="West", latitude=Decimal("-16.8"), longitude=Decimal("-179.9"))
    PropertyFactory(title="Far", latitude=Decimal("-16.8"), longitude=Decimal("178.0"))
    found = search(
        gql, {"near": {"latitude": -16.8, "longitude": -179.95, "radiusKm": 30}}, sort="DISTANCE"
    )
    assert titles(found) == ["West", "East"]


def test_text_matches_title_place_and_description(gql):
    PropertyFactory(title="Riverside loft", description="Quiet.")
    PropertyFactory(title="Garden house", description="A loft bed for the kids.")
    PropertyFactory(title="Beach hut", city="Faro", description="Sea views.")
    assert sorted(titles(search(gql, {"text": "loft"}))) == ["Garden house", "Riverside loft"]
    assert titles(search(gql, {"text": "faro"})) == ["Beach hut"]


def test_text_relevance_ranks_title_above_description(gql, on_postgres):
    _aged("Garden house", 1, description="A loft bed for the kids.")
    _aged("Riverside loft", 9, description="Quiet.")
    # Newer and equally rated, but the word is only in its description.
    assert titles(search(gql, {"text": "loft"})) == ["Riverside loft", "Garden house"]


def test_text_is_stemmed_and_forgives_typos(gql, on_postgres):
    PropertyFactory(title="Charming cottage with gardens", city="Edinburgh")
    PropertyFactory(title="Modern studio", city="Madrid", country="Spain")
    assert titles(search(gql, {"text": "garden"})) == ["Charming cottage with gardens"]
    # No word matches, but the trigram fallback finds the misspelt place.
    assert titles(search(gql, {"text": "Edinburgg"})) == ["Charming cottage with gardens"]
    assert titles(search(gql, {"text": "Madrd"})) == ["Modern studio"]
    assert titles(search(gql, {"text": "zebra"})) == []


def test_every_filter_at_once(gql):
    check_in, check_out = days(30), days(33)
    match = PropertyFactory(
        title="Match loft", max_guests=4, instant_book=True, rating_average=Decimal("4.5")
    )
    match.amenities.set([amenity("wifi")])
    other = PropertyFactory(title="Other loft", max_guests=4, instant_book=False)
    other.amenities.set([amenity("wifi")])
    found = search(
        gql,
        {
            "text": "loft",
            "city": "Lisbon",
            "country": "Portugal",
            "near": {"latitude": 38.72, "longitude": -9.14, "radiusKm": 5},
            "checkIn": check_in,
            "checkOut": check_out,
            "guests": 3,
            "minPrice": "50",
            "maxPrice": "150",
            "currency": "EUR",
            "propertyTypes": ["APARTMENT"],
            "amenities": ["wifi"],
            "minRating": 4,
            "instantBook": True,
        },
    )
    assert titles(found) == ["Match loft"]


# --- sorts ---------------------------------------------------------------------------------------


def _aged(title: str, days_old: int, **fields) -> Property:
    listing = PropertyFactory(title=title, **fields)
    Property.objects.filter(pk=listing.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    return listing


def test_sorts(gql):
    _aged("Old good", 30, price_per_night=Decimal("80"), rating_average=Decimal("4.9"),
          review_count=3)  # fmt: skip
    _aged("New unrated", 1, price_per_night=Decimal("120"))
    _aged("Mid popular", 10, price_per_night=Decimal("60"), rating_average=Decimal("4.9"),
          review_count=40)  # fmt: skip
    _aged("Older unrated", 20, price_per_night=Decimal("200"))
    assert titles(search(gql, sort="PRICE_ASC")) == [
        "Mid popular", "Old good", "New unrated", "Older unrated"
    ]  # fmt: skip
    assert titles(search(gql, sort="PRICE_DESC")) == [
        "Older unrated", "New unrated", "Old good", "Mid popular"
    ]  # fmt: skip
    assert titles(search(gql, sort="NEWEST")) == [
        "New unrated", "Mid popular", "Older unrated", "Old good"
    ]  # fmt: skip
    # Highest rated, the more reviewed first among equals; unrated last.
    assert titles(search(gql, sort="RATING_DESC")) == [
        "Mid popular", "Old good", "New unrated", "Older unrated"
    ]  # fmt: skip
    # RELEVANCE without text (the default): highest rated, then newest.
    relevance = ["Mid popular", "Old good", "New unrated", "Older unrated"]
    assert titles(search(gql)) == relevance
    assert titles(search(gql, sort="RELEVANCE")) == relevance


def test_distance_sort_needs_near(gql):
    error = bad_input(gql, {"city": "Lisbon"}, sort="DISTANCE")
    assert error["extensions"]["field"] == "sort"


# --- pagination ----------------------------------------------------------------------------------


def test_cursor_pagination_walks_every_result_once(gql):
    for i in range(7):
        _aged(f"Flat {i}", days_old=i)
    seen, after, pages = [], None, 0
    while True:
        page = search(gql, sort="NEWEST", first=3, after=after)
        assert page["totalCount"] == 7
        seen += titles(page)
        pages += 1
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (pages > 1)
        if not info["hasNextPage"]:
            break
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        after = info["endCursor"]
    assert seen == [f"Flat {i}" for i in range(7)] and pages == 3


def test_a_page_past_the_end_is_empty_and_still_counts(gql):
    for i in range(3):
        _aged(f"Flat {i}", days_old=i)
    page = search(gql, sort="NEWEST", first=2, after=to_base64("arrayconnection", 4))
    assert page["edges"] == [] and page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["hasPreviousPage"] is True
    empty = search(gql, {"city": "Atlantis"})
    assert empty["edges"] == [] and empty["totalCount"] == 0


def test_backwards_paging(gql):
    for i in range(5):
        _aged(f"Flat {i}", days_old=i)
    query = """query ($before: String) { propertySearch(sort: NEWEST, last: 2, before: $before) {
        totalCount edges { node { title } } pageInfo { hasPreviousPage } } }"""
    before = to_base64("arrayconnection", 3)
    page = gql(query, {"before": before})["data"]["propertySearch"]
    assert [e["node"]["title"] for e in page["edges"]] == ["Flat 1", "Flat 2"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasPreviousPage"] is True


def test_first_defaults_to_20_and_is_capped_at_100(gql):
    Property.objects.bulk_create(
        [PropertyFactory.build(title=f"P{i}", host=UserFactory(is_host=True)) for i in range(21)]
    )
    page = search(gql)
    assert len(page["edges"]) == 20 and page["totalCount"] == 21
    assert page["pageInfo"]["hasNextPage"] is True
    assert bad_input(gql, first=101)["extensions"]["field"] == "first"


# --- bad arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filter", "field"),
    [
        ({"checkIn": days(5), "checkOut": days(3)}, "checkOut"),
        ({"checkIn": days(5), "checkOut": days(5)}, "checkOut"),
        ({"checkIn": days(-1), "checkOut": days(2)}, "checkIn"),
        ({"checkIn": days(5)}, "checkOut"),
        ({"checkOut": days(5)}, "checkIn"),
        ({"checkIn": days(1), "checkOut": days(400)}, "checkOut"),
        ({"checkIn": days(370), "checkOut": days(373)}, "checkIn"),
        ({"near": {"latitude": 38.7, "longitude": -9.1, "radiusKm": 0}}, "near.radiusKm"),
        ({"near": {"latitude": 38.7, "longitude": -9.1, "radiusKm": -5}}, "near.radiusKm"),
        ({"near": {"latitude": 38.7, "longitude": -9.1, "radiusKm": 20000}}, "near.radiusKm"),
        ({"near": {"latitude": 91, "longitude": -9.1, "radiusKm": 5}}, "near.latitude"),
        ({"near": {"latitude": 38.7, "longitude": -181, "radiusKm": 5}}, "near.longitude"),
        ({"amenities": ["wifi", "teleporter"]}, "amenities"),
        ({"minPrice": "-1"}, "minPrice"),
        ({"maxPrice": "1e12"}, "maxPrice"),
        ({"maxPrice": "NaN"}, "maxPrice"),
        ({"minPrice": "200", "maxPrice": "100"}, "maxPrice"),
        ({"guests": 0}, "guests"),
        ({"guests": 500}, "guests"),
        ({"minRating": 0.5}, "minRating"),
        ({"minRating": 5.5}, "minRating"),
        ({"currency": "XYZ"}, "currency"),
        ({"text": "x" * 201}, "text"),
        ({"city": "c" * 101}, "city"),
    ],
)
def test_bad_filters_are_bad_user_input(gql, filter, field):
    error = bad_input(gql, filter)
    assert error["extensions"]["field"] == field
    assert error["message"]


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"first": -1}, "first"),
        ({"after": "not-a-cursor"}, "after"),
        ({"after": to_base64("Property", 1)}, "after"),
    ],
)
def test_bad_page_arguments_are_bad_user_input(gql, variables, field):
    assert bad_input(gql, None, **variables)["extensions"]["field"] == field


@pytest.mark.parametrize(
    "text", ["loft & (|| !!", "'; DROP TABLE x; --", "100%_off", "the", "\\", ":*", "é ü ß 日本"]
)
def test_any_text_is_searched_safely(gql, text):
    PropertyFactory(title="Riverside loft")
    result = search(gql, {"text": text})
    assert result["totalCount"] == len(result["edges"])


def test_blank_text_is_no_filter(gql):
    PropertyFactory(title="Anything")
    assert titles(search(gql, {"text": "   ", "city": ""})) == ["Anything"]


# --- queries -------------------------------------------------------------------------------------


def _listing_with_photos(n: int) -> None:
    for i in range(n):
        listing = PropertyFactory(title=f"Photo flat {i}")
        for position in (0, 1):
            PropertyPhoto.objects.create(
                property=listing, image=f"p/{i}-{position}.jpg", position=position, **SIZE
            )


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_the_page(gql, django_assert_num_queries, signed_in):
    _listing_with_photos(20)
    if signed_in:
        gql.login(UserFactory())
    filter = {
        "city": "Lisbon",
        "checkIn": days(10),
        "checkOut": days(12),
        "guests": 2,
        "amenities": ["wifi"],
    }
    Property.amenities.through.objects.bulk_create(
        [
            Property.amenities.through(property_id=pk, amenity_id=amenity("wifi").pk)
            for pk in Property.objects.values_list("pk", flat=True)
        ]
    )
    search(gql, filter, first=1)  # fills the amenity cache
    # The page's ids with totalCount, the page's rows with their hosts, the cover photos;
    # search never loads the viewer (the context resolves the token lazily).
    for first in (1, 20):
        with django_assert_num_queries(3):
            page = search(gql, filter, first=first)
        assert len(page["edges"]) == first
        assert all(edge["node"]["coverPhoto"]["url"] for edge in page["edges"])
        assert all(edge["node"]["host"]["name"] for edge in page["edges"])


def test_cover_photo_is_the_first_by_position(gql):
    listing = PropertyFactory()
    PropertyPhoto.objects.create(property=listing, image="p/second.jpg", position=1, **SIZE)
    first = PropertyPhoto.objects.create(property=listing, image="p/first.jpg", position=0, **SIZE)
    (edge,) = search(gql)["edges"]
    assert edge["node"]["coverPhoto"]["id"] == to_base64("PropertyPhoto", first.pk)
    assert edge["node"]["coverPhoto"]["url"].endswith("/media/p/first.jpg")


def test_amenity_codes_of_a_filter_come_from_the_cache(gql, django_assert_num_queries):
    PropertyFactory().amenities.set([amenity("wifi")])
    search(gql, {"amenities": ["wifi"]})
    with django_assert_num_queries(3):  # ids, rows, cover photos: no look-up of the codes
        search(gql, {"amenities": ["wifi"]})
    Amenity.objects.create(code="sauna", name="Sauna")
    assert search(gql, {"amenities": ["sauna"]})["totalCount"] == 0


# --- availability follows every change of bookings and blocks --------------------------------


def _free(gql, check_in: date, check_out: date) -> list[str]:
    filter = {"checkIn": check_in.isoformat(), "checkOut": check_out.isoformat()}
    return sorted(titles(search(gql, filter)))


def test_availability_follows_bookings_and_blocks_as_they_change(gql):
    """On PostgreSQL search reads the calendar the triggers keep on each listing: every kind of
    change must reach it (on SQLite this is the plain NOT EXISTS path)."""
    start, stop = TODAY + timedelta(days=40), TODAY + timedelta(days=43)
    listing = PropertyFactory(title="Flat")
    assert _free(gql, start, stop) == ["Flat"]
    booking = BookingFactory(property=listing, check_in=start, check_out=stop)
    assert _free(gql, start, stop) == []
    booking.status = BookingStatus.EXPIRED
    booking.save()
    assert _free(gql, start, stop) == ["Flat"]
    booking.status = BookingStatus.CONFIRMED
    booking.save()
    assert _free(gql, start, stop) == []
    booking.check_in = stop - timedelta(days=1)  # a later arrival frees the first nights
    booking.save()
    assert _free(gql, start, stop - timedelta(days=1)) == ["Flat"]
    booking.check_out = stop + timedelta(days=2)  # a later departure takes more
    booking.save()
    assert _free(gql, stop, stop + timedelta(days=1)) == []
    other = PropertyFactory(title="Other")
    booking.property = other
    booking.save()
    assert _free(gql, stop, stop + timedelta(days=1)) == ["Flat"]
    booking.delete()
    assert _free(gql, stop, stop + timedelta(days=1)) == ["Flat", "Other"]
    block = BlockedPeriodFactory(property=listing, start_date=start + timedelta(days=2))
    assert _free(gql, start, stop) == ["Other"]
    block.start_date = stop
    block.end_date = stop + timedelta(days=5)
    block.save()
    assert _free(gql, start, stop) == ["Flat", "Other"]
    block.delete()
    assert _free(gql, stop, stop + timedelta(days=5)) == ["Flat", "Other"]


def test_search_availability_agrees_with_the_bookings_table(gql):
    """Random calendars: the listings search finds free are exactly those without an active
    booking or a block in the stay (domains/bookings/availability.is_available)."""
    import random

    from domains.bookings.availability import is_available

    rng = random.Random(7)
    statuses = list(BookingStatus.values)
    for n in range(6):
        listing = PropertyFactory(title=f"L{n}", max_nights=365)
        day = TODAY - timedelta(days=5)
        while day < TODAY + timedelta(days=80):
            day += timedelta(days=rng.randint(0, 6))
            length = timedelta(days=rng.randint(1, 6))
            if rng.random() < 0.25:
                BlockedPeriodFactory(property=listing, start_date=day, end_date=day + length)
            else:
                BookingFactory(
                    property=listing,
                    check_in=day,
                    check_out=day + length,
                    status=rng.choice(statuses),
                )
            day += length
    listings = list(Property.objects.order_by("title"))
    for _ in range(25):
        check_in = TODAY + timedelta(days=rng.randint(0, 75))
        check_out = check_in + timedelta(days=rng.randint(1, 10))
        expected = [
            p.title
            for p in listings
            if is_available(property_id=p.pk, check_in=check_in, check_out=check_out)
        ]
        assert _free(gql, check_in, check_out) == expected, (check_in, check_out)


def test_stays_beyond_the_calendar_horizon_ask_the_bookings_table(gql, settings):
    """The calendar bits reach ~2,000 days ahead; an operator who lets stays start later still
    gets exact answers (and a booking that far ahead does not break the calendar)."""
    settings.BOOKING_MAX_DAYS_AHEAD = 3000
    far = TODAY + timedelta(days=2500)
    booked = PropertyFactory(title="Booked")
    BookingFactory(property=booked, check_in=far, check_out=far + timedelta(days=3))
    PropertyFactory(title="Free")
    assert _free(gql, far, far + timedelta(days=2)) == ["Free"]
    assert _free(gql, TODAY + timedelta(days=5), TODAY + timedelta(days=7)) == ["Booked", "Free"]
