"""Host management of listings: thin resolvers that decode IDs, call one service and map
domain errors to the payload's errors."""

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.relay import to_base64

from domains.properties import services
from domains.properties.errors import PhotoNotFound, PropertyNotFound
from domains.properties.graphql.types import (
    CancellationPolicyEnum,
    PropertyNode,
    PropertyPhotoNode,
    PropertyTypeEnum,
)
from domains.shared.errors import DomainError
from schema.context import Info
from schema.errors import UserError, user_errors
from schema.inputs import provided
from schema.mutations import errors_field, input_argument
from schema.permissions import IsAuthenticated, IsHost
from schema.relay import decode_id

UNSET: Any = strawberry.UNSET


def _listing_fields(input: Any) -> dict[str, Any]:
    """The sent fields of a create/update input as service data (enums as their values)."""
    return {
        name: value.value if isinstance(value, Enum) else value
        for name, value in provided(input, exclude=("id",)).items()
    }


# --- inputs --------------------------------------------------------------------------------------


@strawberry.input(description="A new listing. Absent optional fields take their defaults.")
class PropertyCreateInput:
    title: str = strawberry.field(description="Headline, 1 to 120 characters.")
    description: str | None = strawberry.field(
        default=UNSET, description="What the place is like, at most 5,000 characters."
    )
    property_type: PropertyTypeEnum = strawberry.field(description="Kind of place.")
    address: str = strawberry.field(description="Street address, at most 255 characters.")
    city: str = strawberry.field(description="City.")
    country: str = strawberry.field(description="Country.")
    latitude: float = strawberry.field(description="Latitude, -90 to 90 degrees.")
    longitude: float = strawberry.field(description="Longitude, -180 to 180 degrees.")
    price_per_night: Decimal = strawberry.field(
        description="Price of a night, at least 1, in `currency` (its decimal places at most)."
    )
    currency: str | None = strawberry.field(
        default=UNSET, description='ISO 4217 code of the prices, e.g. "EUR" (default "USD").'
    )
    cleaning_fee: Decimal | None = strawberry.field(
        default=UNSET, description="Cleaning fee, once per stay (default 0)."
    )
    max_guests: int = strawberry.field(description="Most guests the place sleeps, 1 to 50.")
    bedrooms: int | None = strawberry.field(default=UNSET, description="Bedrooms (default 1).")
    beds: int | None = strawberry.field(default=UNSET, description="Beds (default 1).")
    bathrooms: float | None = strawberry.field(
        default=UNSET, description="Bathrooms in halves, e.g. 1.5 (default 1)."
    )
    amenities: list[str] | None = strawberry.field(
        default=UNSET, description="Codes of the amenities offered (see `amenities`)."
    )
    instant_book: bool | None = strawberry.field(
        default=UNSET, description="Confirm paid bookings at once (default false)."
    )
    cancellation_policy: CancellationPolicyEnum | None = strawberry.field(
        default=UNSET, description="Refund rules (default MODERATE)."
    )
    min_nights: int | None = strawberry.field(
        default=UNSET, description="Shortest stay, 1 to 365 nights (default 1)."
    )
    max_nights: int | None = strawberry.field(
        default=UNSET, description="Longest stay, at least `minNights` (default 30)."
    )
    is_published: bool | None = strawberry.field(
        default=UNSET, description="Whether guests can find and book it (default false)."
    )


@strawberry.input(
    description="Changes to a listing: an absent field stays unchanged; null clears "
    "`description`, `cleaningFee` (to 0) and `amenities`, and is invalid for the others."
)
class PropertyUpdateInput:
    id: strawberry.ID = strawberry.field(description="The listing.")
    title: str | None = strawberry.field(default=UNSET, description="Headline.")
    description: str | None = strawberry.field(default=UNSET, description="Description.")
    property_type: PropertyTypeEnum | None = strawberry.field(
        default=UNSET, description="Kind of place."
    )
    address: str | None = strawberry.field(default=UNSET, description="Street address.")
    city: str | None = strawberry.field(default=UNSET, description="City.")
    country: str | None = strawberry.field(default=UNSET, description="Country.")
    latitude: float | None = strawberry.field(default=UNSET, description="Latitude.")
    longitude: float | None = strawberry.field(default=UNSET, description="Longitude.")
    price_per_night: Decimal | None = strawberry.field(
        default=UNSET, description="Price of a night."
    )
    currency: str | None = strawberry.field(default=UNSET, description="ISO 4217 code.")
    cleaning_fee: Decimal | None = strawberry.field(default=UNSET, description="Cleaning fee.")
    max_guests: int | None = strawberry.field(default=UNSET, description="Most guests.")
    bedrooms: int | None = strawberry.field(default=UNSET, description="Bedrooms.")
    beds: int | None = strawberry.field(default=UNSET, description="Beds.")
    bathrooms: float | None = strawberry.field(default=UNSET, description="Bathrooms.")
    amenities: list[str] | None = strawberry.field(
        default=UNSET, description="Amenity codes (replaces the list)."
    )
    instant_book: bool | None = strawberry.field(default=UNSET, description="Instant book.")
    cancellation_policy: CancellationPolicyEnum | None = strawberry.field(
        default=UNSET, description="Refund rules."
    )
    min_nights: int | None = strawberry.field(default=UNSET, description="Shortest stay.")
    max_nights: int | None = strawberry.field(default=UNSET, description="Longest stay.")
    is_published: bool | None = strawberry.field(
        default=UNSET, description="Publish (true) or unpublish (false)."
    )


@strawberry.input(description="The listing to delete.")
class PropertyDeleteInput:
    id: strawberry.ID = strawberry.field(description="The listing.")


@strawberry.input(description="A photo to append to a listing (a GraphQL multipart upload).")
class PropertyPhotoAddInput:
    property_id: strawberry.ID = strawberry.field(description="The listing.")
    file: Upload = strawberry.field(
        description="A JPEG, PNG or WebP image (checked by content), within the size limit."
    )
    caption: str | None = strawberry.field(
        default=None, description="What the photo shows, at most 200 characters."
    )


@strawberry.input(description="The photo to remove.")
class PropertyPhotoRemoveInput:
    id: strawberry.ID = strawberry.field(description="The photo.")


@strawberry.input(description="Take nights off the calendar, or put them back.")
class PropertyDatesBlockInput:
    property_id: strawberry.ID = strawberry.field(description="The listing.")
    start_date: date = strawberry.field(description="First night, today or later.")
    end_date: date = strawberry.field(description="Day after the last night (exclusive).")
    blocked: bool = strawberry.field(description="true blocks the nights, false unblocks them.")


# --- payloads ------------------------------------------------------------------------------------


@strawberry.type(description="The result of `propertyCreate`.")
class PropertyCreatePayload:
    property: PropertyNode | None = strawberry.field(
        default=None, description="The new listing, or null on errors."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of `propertyUpdate`.")
class PropertyUpdatePayload:
    property: PropertyNode | None = strawberry.field(
        default=None, description="The listing as changed, or null on errors."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of `propertyDelete`.")
class PropertyDeletePayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="The global ID of the deleted listing, or null on errors."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of `propertyPhotoAdd`.")
class PropertyPhotoAddPayload:
    photo: PropertyPhotoNode | None = strawberry.field(
        default=None, description="The new photo, or null on errors."
    )
    property: PropertyNode | None = strawberry.field(
        default=None, description="The listing with its photos, or null on errors."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of `propertyPhotoRemove`.")
class PropertyPhotoRemovePayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="The global ID of the removed photo, or null on errors."
    )
    property: PropertyNode | None = strawberry.field(
        default=None, description="The listing with its remaining photos, or null on errors."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of `propertyDatesBlock`.")
class PropertyDatesBlockPayload:
    property: PropertyNode | None = strawberry.field(
        default=None, description="The listing with its calendar, or null on errors."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class PropertiesMutation:
    @strawberry.mutation(
        extensions=[IsHost()],
        description="List a new place (hosts only; a guest account gets FORBIDDEN).",
    )
    def property_create(
        self, info: Info, input: input_argument(PropertyCreateInput, "The listing.")
    ) -> PropertyCreatePayload:
        try:
            listing = services.property_create(
                host=info.context.viewer, data=_listing_fields(input)
            )
        except DomainError as error:
            return PropertyCreatePayload(errors=user_errors(error))
        return PropertyCreatePayload(property=listing)

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Change one's listing, publish it or unpublish it (`isPublished`).",
    )
    def property_update(
        self, info: Info, input: input_argument(PropertyUpdateInput, "The changes.")
    ) -> PropertyUpdatePayload:
        property_id = decode_id(input.id, "Property")
        try:
            if property_id is None:
                raise PropertyNotFound(field="id")
            listing = services.property_update(
                actor=info.context.viewer, property_id=property_id, data=_listing_fields(input)
            )
        except DomainError as error:
            return PropertyUpdatePayload(errors=user_errors(error))
        return PropertyUpdatePayload(property=listing)

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Delete one's listing (refused with HAS_ACTIVE_BOOKINGS while a booking "
        "of it is upcoming or under way). Its past bookings and payments stay.",
    )
    def property_delete(
        self, info: Info, input: input_argument(PropertyDeleteInput, "The listing.")
    ) -> PropertyDeletePayload:
        property_id = decode_id(input.id, "Property")
        try:
            if property_id is None:
                raise PropertyNotFound(field="id")
            deleted = services.property_delete(actor=info.context.viewer, property_id=property_id)
        except DomainError as error:
            return PropertyDeletePayload(errors=user_errors(error))
        return PropertyDeletePayload(deleted_id=strawberry.ID(to_base64("Property", deleted)))

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Append a photo to one's listing (GraphQL multipart request).",
    )
    def property_photo_add(
        self, info: Info, input: input_argument(PropertyPhotoAddInput, "The photo.")
    ) -> PropertyPhotoAddPayload:
        property_id = decode_id(input.property_id, "Property")
        try:
            if property_id is None:
                raise PropertyNotFound(field="property_id")
            photo = services.property_photo_add(
                actor=info.context.viewer,
                property_id=property_id,
                upload=input.file,
                caption=input.caption,
            )
        except DomainError as error:
            return PropertyPhotoAddPayload(errors=user_errors(error))
        return PropertyPhotoAddPayload(photo=photo, property=photo.property)

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Remove a photo of one's listing; the others keep their order.",
    )
    def property_photo_remove(
        self, info: Info, input: input_argument(PropertyPhotoRemoveInput, "The photo.")
    ) -> PropertyPhotoRemovePayload:
        photo_id = decode_id(input.id, "PropertyPhoto")
        try:
            if photo_id is None:
                raise PhotoNotFound(field="id")
            listing = services.property_photo_remove(actor=info.context.viewer, photo_id=photo_id)
        except DomainError as error:
            return PropertyPhotoRemovePayload(errors=user_errors(error))
        return PropertyPhotoRemovePayload(
            deleted_id=strawberry.ID(to_base64("PropertyPhoto", photo_id)), property=listing
        )

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Block or unblock nights of one's listing (blocks merge; nights held by "
        "a booking cannot be blocked: DATES_UNAVAILABLE).",
    )
    def property_dates_block(
        self, info: Info, input: input_argument(PropertyDatesBlockInput, "The nights.")
    ) -> PropertyDatesBlockPayload:
        property_id = decode_id(input.property_id, "Property")
        try:
            if property_id is None:
                raise PropertyNotFound(field="property_id")
            listing = services.property_dates_block(
                actor=info.context.viewer,
                property_id=property_id,
                start_date=input.start_date,
                end_date=input.end_date,
                blocked=input.blocked,
            )
        except DomainError as error:
            return PropertyDatesBlockPayload(errors=user_errors(error))
        return PropertyDatesBlockPayload(property=listing)
