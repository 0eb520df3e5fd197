from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
import strawberry_django
from django.conf import settings
from strawberry.utils.str_converters import to_camel_case

from domains.properties import search, selectors
from domains.properties.errors import InvalidSearch
from domains.properties.graphql.connections import SearchConnection
from domains.properties.graphql.types import AmenityNode, PropertyNode, PropertyTypeEnum
from schema.context import Info
from schema.errors import bad_user_input

SORT_DESCRIPTIONS = {
    "RELEVANCE": "Best match of `text` first when it is given, else highest rated, then newest.",
    "PRICE_ASC": "Lowest nightly price first.",
    "PRICE_DESC": "Highest nightly price first.",
    "RATING_DESC": "Highest average rating first (unrated last), then most reviewed.",
    "NEWEST": "Most recently listed first.",
    "DISTANCE": "Nearest to `near` first (needs `near`).",
}
PropertySortEnum = strawberry.enum(
    search.Sort, name="PropertySort", description="Orders of search results."
)
for _value in PropertySortEnum.__strawberry_definition__.values:
    _value.description = SORT_DESCRIPTIONS[_value.name]


@strawberry.input(name="GeoRadiusInput", description="A circle on the map.")
class GeoRadiusInput:
    latitude: float = strawberry.field(description="Latitude of the centre, in degrees.")
    longitude: float = strawberry.field(description="Longitude of the centre, in degrees.")
    radius_km: float = strawberry.field(
        description=f"Radius in kilometres, above 0 and at most {settings.SEARCH_MAX_RADIUS_KM}."
    )


@strawberry.input(
    name="PropertySearchFilter",
    description="What a guest is looking for; every field is optional and they all apply.",
)
class PropertySearchFilter:
    text: str | None = strawberry.field(
        default=None,
        description="Free text over title, place and description (words are stemmed, typos in "
        "a title or place are forgiven).",
    )
    city: str | None = strawberry.field(default=None, description="City (any letter case).")
    country: str | None = strawberry.field(default=None, description="Country (any letter case).")
    near: GeoRadiusInput | None = strawberry.field(
        default=None, description="Only listings within this circle."
    )
    check_in: date | None = strawberry.field(
        default=None,
        description="First night (with `checkOut`): only listings free for the whole stay "
        "whose minimum and maximum stay allow it. Today or later, at most "
        f"{settings.BOOKING_MAX_DAYS_AHEAD} days ahead.",
    )
    check_out: date | None = strawberry.field(
        default=None, description="Day of departure (exclusive), after `checkIn`."
    )
    guests: int | None = strawberry.field(
        default=None, description="Only listings that sleep at least this many guests."
    )
    min_price: Decimal | None = strawberry.field(
        default=None,
        description="Lowest nightly price, in the listing's own currency (pass `currency` "
        "when searching across countries).",
    )
    max_price: Decimal | None = strawberry.field(
        default=None, description="Highest nightly price, in the listing's own currency."
    )
    currency: str | None = strawberry.field(
        default=None, description="Only listings priced in this ISO 4217 currency."
    )
    property_types: list[PropertyTypeEnum] | None = strawberry.field(
        default=None, description="Only these kinds of places."
    )
    amenities: list[str] | None = strawberry.field(
        default=None, description="Amenity codes; a listing must offer every one."
    )
    min_rating: float | None = strawberry.field(
        default=None, description="Lowest average rating, from 1 to 5 (unrated listings out)."
    )
    instant_book: bool | None = strawberry.field(
        default=None,
        description="true: only instant-book listings; false: only request-to-book ones.",
    )


def search_params(filter: PropertySearchFilter | None, sort: search.Sort) -> search.SearchParams:
    """The domain's search parameters from the GraphQL arguments, validated."""
    f = filter or PropertySearchFilter()
    near = f.near and search.Near(f.near.latitude, f.near.longitude, f.near.radius_km)
    params = search.SearchParams(
        text=f.text,
        city=f.city,
        country=f.country,
        near=near,
        check_in=f.check_in,
        check_out=f.check_out,
        guests=f.guests,
        min_price=f.min_price,
        max_price=f.max_price,
        currency=f.currency,
        property_types=tuple(t.value for t in f.property_types or ()),
        amenities=tuple(f.amenities or ()),
        min_rating=f.min_rating,
        instant_book=f.instant_book,
        sort=sort,
    )
    try:
        return params.validated()
    except InvalidSearch as error:
        raise bad_user_input(error.message, field=to_camel_case(error.field or "filter"))


@strawberry.type
class PropertiesQuery:
    @strawberry.field(description="Every amenity a listing can offer, by name.")
    def amenities(self, info: Info) -> list[AmenityNode]:
        return selectors.amenity_list()

    @strawberry_django.connection(
        SearchConnection[PropertyNode],
        # SearchConnection shapes the page's rows itself; the matches are only counted.
        disable_optimization=True,
        description="Published listings matching `filter`, in `sort` order, with Relay cursors "
        "and `totalCount`. Invalid arguments are a BAD_USER_INPUT error naming the argument.",
    )
    def property_search(
        self,
        info: Info,
        filter: Annotated[
            PropertySearchFilter | None,
            strawberry.argument(description="What to look for; all of it applies."),
        ] = None,
        sort: Annotated[
            PropertySortEnum | None,
            strawberry.argument(description="Order of the results (null: RELEVANCE)."),
        ] = search.Sort.RELEVANCE,
    ) -> Iterable[PropertyNode]:
        return search.search_properties(search_params(filter, sort or search.Sort.RELEVANCE))
