"""Listing search: the validated parameters and the one SQL query that serves them.

Everything happens in one statement (strawberry-django adds `COUNT(*) OVER ()` for totalCount
and the page's LIMIT/OFFSET): availability as NOT EXISTS against the active bookings and the
blocks (both indexed by property and dates), distance as haversine behind a bounding box the
(latitude, longitude) index can serve, free text as PostgreSQL full-text search (a GIN index on
a generated tsvector column, ranked) with a trigram match on title, city and country for typos.
On SQLite free text falls back to a case-insensitive substring match.
"""

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ASin, Cast, Cos, Least, Lower, Power, Radians, Sin, Sqrt

from domains.bookings.availability import available_q
from domains.properties import selectors
from domains.properties.errors import InvalidSearch
from domains.properties.models import Property, PropertyType
from domains.shared.money import SUPPORTED_CURRENCIES

EARTH_RADIUS_KM = 6371.0088
# How far the calendar bits reach (migration 0005: current_date + 1999, a day of margin here).
CALENDAR_HORIZON = timedelta(days=1998)
KM_PER_DEGREE = 111.2  # of latitude (and of longitude at the equator)
MAX_AMENITY_FILTERS = 30
MAX_GUESTS = 50
# The full-text document and the trigram text are PostgreSQL expressions of migration 0004
# (the generated column and the expression index); the queries must spell them the same way.
TS_CONFIG = "english"
TRGM_TEXT = (
    "(properties_property.title || ' ' || properties_property.city || ' ' || "
    "properties_property.country)"
)


class Sort(Enum):
    RELEVANCE = "RELEVANCE"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"
    RATING_DESC = "RATING_DESC"
    NEWEST = "NEWEST"
    DISTANCE = "DISTANCE"


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    radius_km: float


@dataclass(frozen=True)
class SearchParams:
    """A search as the client asked for it; `validated()` checks and normalises it."""

    text: str | None = None
    city: str | None = None
    country: str | None = None
    near: Near | None = None
    check_in: date | None = None
    check_out: date | None = None
    guests: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    currency: str | None = None
    property_types: tuple[str, ...] = ()
    amenities: tuple[str, ...] = ()
    min_rating: float | None = None
    instant_book: bool | None = None
    sort: Sort = Sort.RELEVANCE
    # Filled by validated(): the amenity codes as ids.
    amenity_ids: tuple[int, ...] = field(default=(), compare=False)

    def validated(self, *, today: date | None = None) -> "SearchParams":
        return validate(self, today=today or date.today())


def _blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _check_text(value: str | None, name: str, max_chars: int) -> str | None:
    value = _blank_to_none(value)
    if value is not None and len(value) > max_chars:
        raise InvalidSearch(f"`{name}` may be at most {max_chars} characters.", field=name)
    if value is not None and "\x00" in value:
        raise InvalidSearch(f"`{name}` contains a NUL character.", field=name)
    return value


def _finite(value: float) -> bool:
    return value is not None and math.isfinite(value)


def _check_dates(params: SearchParams, today: date) -> None:
    check_in, check_out = params.check_in, params.check_out
    if check_in is None and check_out is None:
        return
    if check_in is None or check_out is None:
        missing = "check_in" if check_in is None else "check_out"
        raise InvalidSearch("Give both `checkIn` and `checkOut`, or neither.", field=missing)
    if check_in < today:
        raise InvalidSearch("`checkIn` is in the past.", field="check_in")
    if check_out <= check_in:
        raise InvalidSearch("`checkOut` must be after `checkIn`.", field="check_out")
    if (check_out - check_in).days > settings.SEARCH_MAX_NIGHTS:
        raise InvalidSearch(
            f"A stay may be at most {settings.SEARCH_MAX_NIGHTS} nights.", field="check_out"
        )
    if check_in > today + timedelta(days=settings.BOOKING_MAX_DAYS_AHEAD):
        raise InvalidSearch(
            f"Stays start at most {settings.BOOKING_MAX_DAYS_AHEAD} days ahead.", field="check_in"
        )


def _check_near(near: Near | None) -> None:
    if near is None:
        return
    if not _finite(near.latitude) or not -90 <= near.latitude <= 90:
        raise InvalidSearch("`latitude` must be between -90 and 90.", field="near.latitude")
    if not _finite(near.longitude) or not -180 <= near.longitude <= 180:
        raise InvalidSearch("`longitude` must be between -180 and 180.", field="near.longitude")
    if not _finite(near.radius_km) or not 0 < near.radius_km <= settings.SEARCH_MAX_RADIUS_KM:
        raise InvalidSearch(
            f"`radiusKm` must be above 0 and at most {settings.SEARCH_MAX_RADIUS_KM}.",
            field="near.radius_km",
        )


def _check_prices(params: SearchParams) -> None:
    for name in ("min_price", "max_price"):
        value = getattr(params, name)
        if value is None:
            continue
        if not value.is_finite() or value < 0 or value > settings.LISTING_MAX_PRICE:
            raise InvalidSearch(
                f"Prices are between 0 and {settings.LISTING_MAX_PRICE}.", field=name
            )
    if (
        params.min_price is not None
        and params.max_price is not None
        and params.min_price > params.max_price
    ):
        raise InvalidSearch("`minPrice` is above `maxPrice`.", field="max_price")


def validate(params: SearchParams, *, today: date) -> SearchParams:
    """Check every filter; raises InvalidSearch naming the first argument at fault."""
    text = _check_text(params.text, "text", settings.SEARCH_TEXT_MAX_CHARS)
    city = _check_text(params.city, "city", 100)
    country = _check_text(params.country, "country", 100)
    _check_dates(params, today)
    _check_near(params.near)
    if params.guests is not None and not 1 <= params.guests <= MAX_GUESTS:
        raise InvalidSearch(f"`guests` must be between 1 and {MAX_GUESTS}.", field="guests")
    _check_prices(params)
    currency = _blank_to_none(params.currency)
    if currency is not None:
        currency = currency.upper()
        if currency not in SUPPORTED_CURRENCIES:
            raise InvalidSearch(f"Unsupported currency {currency!r}.", field="currency")
    unknown_types = set(params.property_types) - set(PropertyType.values)
    if unknown_types:
        raise InvalidSearch("Unknown property type.", field="property_types")
    codes = tuple(dict.fromkeys(code.strip() for code in params.amenities))
    if len(codes) > MAX_AMENITY_FILTERS:
        raise InvalidSearch(
            f"At most {MAX_AMENITY_FILTERS} amenities at a time.", field="amenities"
        )
    amenity_ids: tuple[int, ...] = ()
    if codes:
        known = selectors.amenity_ids_by_code()
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise InvalidSearch(
                f"Unknown amenity code(s): {', '.join(sorted(unknown)[:5])}.", field="amenities"
            )
        amenity_ids = tuple(known[code] for code in codes)
    if params.min_rating is not None and (
        not _finite(params.min_rating) or not 1 <= params.min_rating <= 5
    ):
        raise InvalidSearch("`minRating` must be between 1 and 5.", field="min_rating")
    if params.sort is Sort.DISTANCE and params.near is None:
        raise InvalidSearch("Sorting by distance needs `near`.", field="sort")
    return replace(
        params,
        text=text,
        city=city,
        country=country,
        currency=currency,
        property_types=tuple(dict.fromkeys(params.property_types)),
        amenities=codes,
        amenity_ids=amenity_ids,
    )


# --- the query -------------------------------------------------------------------------------


def _distance_km(near: Near):
    """Haversine distance from `near` to the listing, in SQL (PostgreSQL and SQLite)."""
    lat0, lon0 = math.radians(near.latitude), math.radians(near.longitude)
    lat = Radians(Cast("latitude", FloatField()))
    lon = Radians(Cast("longitude", FloatField()))
    half_dlat = Sin((lat - Value(lat0)) / Value(2.0))
    half_dlon = Sin((lon - Value(lon0)) / Value(2.0))
    a = Power(half_dlat, 2) + Value(math.cos(lat0)) * Cos(lat) * Power(half_dlon, 2)
    # Least(): rounding can push sqrt(a) a hair above 1, outside asin's domain.
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0)), output_field=FloatField())


def _bounding_box(near: Near) -> Q:
    """A box around the circle, so the (latitude, longitude) index narrows the rows before the
    exact distance is computed. Near a pole every longitude is in; across the antimeridian the
    longitude range wraps."""
    dlat = near.radius_km / KM_PER_DEGREE
    south, north = near.latitude - dlat, near.latitude + dlat
    box = Q(latitude__gte=max(south, -90.0), latitude__lte=min(north, 90.0))
    widest = max(abs(south), abs(north))
    if widest >= 89.0:
        return box
    dlon = near.radius_km / (KM_PER_DEGREE * math.cos(math.radians(widest)))
    if dlon >= 180.0:
        return box
    west, east = near.longitude - dlon, near.longitude + dlon
    if west < -180.0:
        return box & (Q(longitude__gte=west + 360.0) | Q(longitude__lte=east))
    if east > 180.0:
        return box & (Q(longitude__gte=west) | Q(longitude__lte=east - 360.0))
    return box & Q(longitude__gte=west, longitude__lte=east)


def _text_filter(queryset: QuerySet[Property], text: str) -> QuerySet[Property]:
    if connection.vendor != "postgresql":
        match = (
            Q(title__icontains=text)
            | Q(city__icontains=text)
            | Q(country__icontains=text)
            | Q(description__icontains=text)
        )
        return queryset.filter(match).alias(text_rank=Value(0.0))
    query = f"websearch_to_tsquery('{TS_CONFIG}', %s)"
    fts = RawSQL(
        f"properties_property.search_document @@ {query}", (text,), output_field=BooleanField()
    )
    # `<%`: the text is similar to some stretch of the title/city/country (pg_trgm's
    # word_similarity_threshold, 0.6): "Lisbn" finds Lisbon.
    fuzzy = RawSQL(f"%s <%% {TRGM_TEXT}", (text,), output_field=BooleanField())
    # Full-text hits first (by rank), typo hits after them (by similarity).
    rank = RawSQL(
        f"(CASE WHEN properties_property.search_document @@ {query} "
        f"THEN 1 + ts_rank_cd(properties_property.search_document, {query}, 32) "
        f"ELSE 0 END + word_similarity(%s, {TRGM_TEXT}))",
        (text, text, text),
        output_field=FloatField(),
    )
    return queryset.filter(Q(fts) | Q(fuzzy)).alias(text_rank=rank)


def _available(check_in: date, check_out: date) -> Q:
    """Every night of [check_in, check_out) is free of active bookings and blocks.

    On PostgreSQL, from the listing's own calendar bits (kept by triggers, migration 0005; bit i
    is the night `calendar_start + i`, nights past the end are free): no join, and the covering
    index holds them. Elsewhere, NOT EXISTS against the bookings and the blocks."""
    if connection.vendor != "postgresql" or check_out > date.today() + CALENDAR_HORIZON:
        return available_q(check_in, check_out)
    free = RawSQL(
        "position(B'1' in substring(properties_property.calendar_taken "
        "from (%s::date - properties_property.calendar_start + 1) for %s)) = 0",
        (check_in, (check_out - check_in).days),
        output_field=BooleanField(),
    )
    return Q(free)


def _ordering(params: SearchParams) -> list:
    rating = F("rating_average").desc(nulls_last=True)
    if params.sort is Sort.PRICE_ASC:
        return ["price_per_night", "id"]
    if params.sort is Sort.PRICE_DESC:
        return ["-price_per_night", "-id"]
    if params.sort is Sort.RATING_DESC:
        return [rating, "-review_count", "-created_at", "-id"]
    if params.sort is Sort.NEWEST:
        return ["-created_at", "-id"]
    if params.sort is Sort.DISTANCE:
        return ["distance_km", "id"]
    if params.text:
        return ["-text_rank", rating, "-created_at", "-id"]
    return [rating, "-created_at", "-id"]


def search_properties(params: SearchParams) -> QuerySet[Property]:
    """Published listings matching validated `params`, in the asked order."""
    listings = selectors.published_properties()
    if params.city:
        listings = listings.alias(city_lower=Lower("city")).filter(
            city_lower=Lower(Value(params.city))
        )
    if params.country:
        listings = listings.alias(country_lower=Lower("country")).filter(
            country_lower=Lower(Value(params.country))
        )
    if params.guests is not None:
        listings = listings.filter(max_guests__gte=params.guests)
    if params.min_price is not None:
        listings = listings.filter(price_per_night__gte=params.min_price)
    if params.max_price is not None:
        listings = listings.filter(price_per_night__lte=params.max_price)
    if params.currency:
        listings = listings.filter(currency=params.currency)
    if params.property_types:
        listings = listings.filter(property_type__in=params.property_types)
    if params.min_rating is not None:
        listings = listings.filter(rating_average__gte=params.min_rating)
    if params.instant_book is not None:
        listings = listings.filter(instant_book=params.instant_book)
    through = Property.amenities.through
    for amenity_id in params.amenity_ids:
        listings = listings.filter(
            Exists(through.objects.filter(property_id=OuterRef("pk"), amenity_id=amenity_id))
        )
    if params.check_in and params.check_out:
        nights = (params.check_out - params.check_in).days
        listings = listings.filter(
            _available(params.check_in, params.check_out),
            min_nights__lte=nights,
            max_nights__gte=nights,
        )
    if params.near:
        listings = (
            listings.filter(_bounding_box(params.near))
            .alias(distance_km=_distance_km(params.near))
            .filter(distance_km__lte=params.near.radius_km)
        )
    if params.text:
        listings = _text_filter(listings, params.text)
    return listings.order_by(*_ordering(params))
