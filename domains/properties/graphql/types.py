"""Listing types: Property, PropertyPhoto, Amenity and their enums."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Annotated

import strawberry
import strawberry_django
from django.conf import settings
from django.db.models import Prefetch
from strawberry import relay

from domains.bookings.availability import unavailable_nights_many
from domains.properties import selectors
from domains.properties.graphql.connections import EmptyFirstPageIsEmpty
from domains.properties.graphql.fields import column, joined
from domains.properties.models import (
    Amenity,
    CancellationPolicy,
    Property,
    PropertyPhoto,
    PropertyType,
)
from domains.reviews import selectors as review_selectors
from domains.reviews.graphql.types import RatingCount, ReviewNode, rating_histogram
from domains.users.graphql.types import UserNode
from schema.context import Info
from schema.enums import choices_enum
from schema.errors import bad_user_input
from schema.loaders import BatchLoader
from schema.relay import Connection, resolve_visible_nodes
from schema.types import Money, image

PropertyTypeEnum = choices_enum(PropertyType, name="PropertyType", description="Kinds of places.")
CancellationPolicyEnum = choices_enum(
    CancellationPolicy,
    name="CancellationPolicy",
    description="How much of the price a guest gets back when cancelling, by how long before "
    "check-in. A host's cancellation is always refunded in full.",
)


@strawberry_django.type(Amenity, name="Amenity", description="Something a place offers.")
class AmenityNode:
    code: str = column("Stable identifier, used in filters and inputs (e.g. `wifi`).")
    name: str = column('Display name (e.g. "Wifi").')


@strawberry_django.type(PropertyPhoto, name="PropertyPhoto", description="A photo of a listing.")
class PropertyPhotoNode(relay.Node):
    id: relay.NodeID[int]
    caption: str = column("What the photo shows.")
    position: int = column("Order among the listing's photos, from 0; the first is the cover.")

    @strawberry_django.field(
        only=["image", "width", "height"], description="Absolute URL of the image."
    )
    def url(self: PropertyPhoto, info: Info) -> str:
        return image(self.image, info).url

    width: int | None = column("Width in pixels.")
    height: int | None = column("Height in pixels.")

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        visible = selectors.visible_photos(viewer=info.context.viewer)
        return resolve_visible_nodes(visible, info, node_ids)


COVER_PHOTO_ATTR = "cover_photos"


@strawberry.type(name="PropertyReviewConnection", description="A page of a listing's reviews.")
class PropertyReviewConnection(EmptyFirstPageIsEmpty, Connection[ReviewNode]):
    pass


@strawberry_django.type(
    Property,
    name="Property",
    description="A place to stay, listed by a host. Everybody sees published listings; a host "
    "also sees their own unpublished ones.",
)
class PropertyNode(relay.Node):
    id: relay.NodeID[int]
    title: str = column(description="Headline of the listing.")
    description: str = column(description="What the place is like.")
    property_type: PropertyTypeEnum = column(description="Kind of place.")
    address: str = column(description="Street address.")
    city: str = column(description="City.")
    country: str = column(description="Country.")
    max_guests: int = column(description="Most guests the place sleeps.")
    bedrooms: int = column(description="Number of bedrooms.")
    beds: int = column(description="Number of beds.")
    instant_book: bool = column(
        description="Whether a paid booking is confirmed at once (else the host accepts it)."
    )
    cancellation_policy: CancellationPolicyEnum = column(
        description="Refund rules when the guest cancels."
    )
    min_nights: int = column(description="Shortest stay, in nights.")
    max_nights: int = column(description="Longest stay, in nights.")
    is_published: bool = column(
        description="Whether guests can find and book it (hosts see their unpublished ones)."
    )
    review_count: int = column(description="Number of reviews.")
    host: UserNode = joined("Who lists the place.")
    amenities: list[AmenityNode] = strawberry_django.field(description="What the place offers.")
    photos: list[PropertyPhotoNode] = strawberry_django.field(
        description="Photos, in order; the first is the cover."
    )

    latitude: float = column("Latitude, in degrees (WGS 84).")
    longitude: float = column("Longitude, in degrees (WGS 84).")
    bathrooms: float = column("Bathrooms: 1.5 is one full and one half bath.")
    average_rating: float | None = column(
        "Average rating from 1 to 5, null without reviews.", field_name="rating_average"
    )

    @strawberry_django.field(
        only=["price_per_night", "currency"], description="Price of one night."
    )
    def price_per_night(self: Property) -> Money:
        return Money(amount=self.price_per_night, currency=self.currency)

    @strawberry_django.field(
        only=["cleaning_fee", "currency"], description="Cleaning fee, once per stay."
    )
    def cleaning_fee(self: Property) -> Money:
        return Money(amount=self.cleaning_fee, currency=self.currency)

    @strawberry_django.field(
        only=["rating_histogram"],
        description="How many reviews gave each rating, all five ratings from 5 down to 1.",
    )
    def rating_histogram(self: Property) -> list[RatingCount]:
        return rating_histogram(self.rating_histogram)

    @strawberry_django.field(
        prefetch_related=[
            lambda info: Prefetch(
                "photos",
                queryset=PropertyPhoto.objects.order_by("position", "id")[:1],
                to_attr=COVER_PHOTO_ATTR,
            )
        ],
        description="The first photo, if any.",
    )
    def cover_photo(self: Property) -> PropertyPhotoNode | None:
        photos = getattr(self, COVER_PHOTO_ATTR, None)
        if photos is None:  # not optimized (e.g. a mutation's payload)
            photos = list(self.photos.order_by("position", "id")[:1])
        return photos[0] if photos else None

    @strawberry_django.field(
        only=["id"],
        description="Each night in [from, to) that is taken, by a booking or a block of the "
        "host, in order (a stay may start on any other night). At most "
        f"{settings.CALENDAR_MAX_WINDOW_DAYS} days at a time.",
    )
    def unavailable_dates(
        self: Property,
        info: Info,
        start: Annotated[
            date, strawberry.argument(name="from", description="First night of the window.")
        ],
        end: Annotated[
            date, strawberry.argument(name="to", description="Day after the window (exclusive).")
        ],
    ) -> list[date]:
        if end <= start:
            raise bad_user_input("`to` must be after `from`.", field="to")
        if end - start > timedelta(days=settings.CALENDAR_MAX_WINDOW_DAYS):
            raise bad_user_input(
                f"The window may span at most {settings.CALENDAR_MAX_WINDOW_DAYS} days.",
                field="to",
            )
        # A page of listings (a search with calendars) loads every listing's nights at once.
        loader = info.context.loader(
            ("unavailable_dates", start, end),
            lambda context: BatchLoader(
                model=Property,
                pages=context.pages,
                batch=lambda ids: unavailable_nights_many(property_ids=ids, start=start, end=end),
                default=list,
            ),
        )
        return loader.load(self.pk)

    @strawberry_django.connection(
        PropertyReviewConnection,
        description="The listing's reviews, newest first.",
    )
    def reviews(self: Property, info: Info) -> Iterable[ReviewNode]:
        return review_selectors.property_reviews(property_id=self.pk)

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        visible = selectors.visible_properties(viewer=info.context.viewer)
        return resolve_visible_nodes(visible, info, node_ids)
