"""Writes of listings: create, change, delete, photos and the host's calendar blocks.

Only the listing's host changes a listing. A listing the actor may not see is NOT_FOUND; a
published listing of another host is FORBIDDEN. Writes that must not race with a booking
(deleting, blocking dates, counting photos) lock the listing's row first: the booking service
locks the same row before it checks availability and inserts.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from domains.bookings.availability import overlapping_bookings
from domains.bookings.models import ACTIVE_STATUSES, Booking
from domains.outbox import services as outbox
from domains.properties import selectors, validation
from domains.properties.errors import (
    DatesUnavailable,
    HasActiveBookings,
    NotListingHost,
    PhotoLimitReached,
    PhotoNotFound,
    PropertyNotFound,
)
from domains.properties.models import BlockedPeriod, Property, PropertyPhoto
from domains.shared.errors import DomainError, ErrorCode, Forbidden, ValidationFailed
from domains.shared.images import validate_image
from domains.shared.models import validate
from domains.users.models import User

# Fields a host sets, in the order errors are reported; `amenities` (codes) is handled apart.
EDITABLE_FIELDS = (
    "title",
    "description",
    "property_type",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "price_per_night",
    "currency",
    "cleaning_fee",
    "max_guests",
    "bedrooms",
    "beds",
    "bathrooms",
    "instant_book",
    "cancellation_policy",
    "min_nights",
    "max_nights",
    "is_published",
)
REQUIRED_ON_CREATE = {
    "title",
    "property_type",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "price_per_night",
    "max_guests",
}
# What an explicit null means for a field that is not nullable in the model: cleared.
NULL_MEANS = {"description": "", "cleaning_fee": Decimal("0")}
CAPTION_MAX_CHARS = 200


# --- helpers -----------------------------------------------------------------------------------


def _full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation as typed errors (a backstop: the checks before it give better ones)."""
    try:
        validate(instance, exclude=exclude or ())
    except ValidationError as error:
        raise ValidationFailed(
            [
                DomainError(str(messages[0]), field=None if field == NON_FIELD_ERRORS else field)
                for field, messages in error.message_dict.items()
            ]
        )


def _listing_for_change(
    *, actor: User, property_id: int, lock: bool = False, field: str = "id"
) -> Property:
    """The actor's own listing; NOT_FOUND when they may not see it, FORBIDDEN when they may see
    it but it is somebody else's (`field`: the input naming it). `lock` takes the row lock
    until the transaction ends."""
    listings = selectors.visible_properties(viewer=actor).filter(pk=property_id)
    if lock:
        listings = listings.select_for_update()
    listing = listings.first()
    if listing is None:
        raise PropertyNotFound(field=field)
    if listing.host_id != actor.pk:
        raise NotListingHost(field=field)
    return listing


def _cleaned(data: dict[str, Any], *, creating: bool) -> tuple[dict[str, Any], list[int] | None]:
    """The normalised fields of `data` and the amenity ids (None: amenities not sent); every
    invalid field is reported at once."""
    errors: list[DomainError] = []
    values: dict[str, Any] = {}
    for field in EDITABLE_FIELDS:
        if field not in data:
            if creating and field in REQUIRED_ON_CREATE:
                errors.append(
                    DomainError("This field is required.", code=ErrorCode.REQUIRED, field=field)
                )
            continue
        value = data[field]
        if value is None:
            if field in NULL_MEANS:
                values[field] = NULL_MEANS[field]
            elif creating and field not in REQUIRED_ON_CREATE:
                continue  # null on create: the default
            else:
                errors.append(
                    DomainError(
                        "This field may not be null.",
                        code=ErrorCode.REQUIRED if creating else ErrorCode.INVALID,
                        field=field,
                    )
                )
            continue
        try:
            values[field] = validation.clean_field(field, value)
        except DomainError as error:
            errors.append(error)
    amenity_ids = None
    if "amenities" in data:
        try:
            amenity_ids = validation.amenity_ids(data["amenities"])
        except DomainError as error:
            errors.append(error)
    if errors:
        raise ValidationFailed(errors)
    return values, amenity_ids


def _save_listing(listing: Property, values: dict[str, Any], amenity_ids: list[int] | None):
    for field, value in values.items():
        setattr(listing, field, value)
    errors = validation.check_consistency(
        {field: getattr(listing, field) for field in EDITABLE_FIELDS}
    )
    if errors:
        raise ValidationFailed(errors)
    _full_clean(listing, exclude=["host"])
    listing.save()
    if amenity_ids is not None:
        listing.amenities.set(amenity_ids)


# --- listings ----------------------------------------------------------------------------------


@transaction.atomic
def property_create(*, host: User, data: dict[str, Any]) -> Property:
    """A new listing of `host` (a host account). `data`: model fields and `amenities` codes;
    absent optional fields take their defaults."""
    if not host.is_host:
        raise Forbidden("Only hosts may list places.")
    values, amenity_ids = _cleaned(data, creating=True)
    listing = Property(host=host)
    _save_listing(listing, values, amenity_ids)
    return listing


@transaction.atomic
def property_update(*, actor: User, property_id: int, data: dict[str, Any]) -> Property:
    """Change the fields present in `data` (absent: unchanged; null: cleared where that means
    something, else INVALID). Publishing and unpublishing is `is_published`."""
    listing = _listing_for_change(actor=actor, property_id=property_id, lock=True)
    values, amenity_ids = _cleaned(data, creating=False)
    _save_listing(listing, values, amenity_ids)
    return listing


@transaction.atomic
def property_delete(*, actor: User, property_id: int) -> int:
    """Soft delete: the listing disappears everywhere but keeps its bookings and payments.
    Refused while an active booking has not checked out yet."""
    listing = _listing_for_change(actor=actor, property_id=property_id, lock=True)
    upcoming = Booking.objects.filter(
        property=listing, status__in=ACTIVE_STATUSES, check_out__gt=timezone.localdate()
    )
    if upcoming.exists():
        raise HasActiveBookings()
    listing.deleted_at = timezone.now()
    listing.is_published = False
    listing.save(update_fields=["deleted_at", "is_published", "updated_at"])
    return listing.pk


# --- photos ------------------------------------------------------------------------------------


def _clean_caption(caption: str | None) -> str:
    caption = (caption or "").strip()
    if len(caption) > CAPTION_MAX_CHARS:
        raise DomainError(f"At most {CAPTION_MAX_CHARS} characters.", field="caption")
    if "\x00" in caption:
        raise DomainError("Text may not contain NUL characters.", field="caption")
    return caption


@transaction.atomic
def property_photo_add(
    *, actor: User, property_id: int, upload: UploadedFile, caption: str | None = None
) -> PropertyPhoto:
    """Append a photo (JPEG, PNG or WebP, checked by content) to the actor's listing."""
    caption = _clean_caption(caption)
    listing = _listing_for_change(
        actor=actor, property_id=property_id, lock=True, field="property_id"
    )
    count = listing.photos.count()
    if count >= settings.PROPERTY_PHOTOS_MAX:
        raise PhotoLimitReached(
            f"A listing has at most {settings.PROPERTY_PHOTOS_MAX} photos.", field="file"
        )
    extension = validate_image(upload, max_bytes=settings.PROPERTY_PHOTO_MAX_BYTES, field="file")
    photo = PropertyPhoto(property=listing, caption=caption, position=count)
    # A random name: nothing of the client's file name reaches the storage.
    photo.image.save(f"{uuid4().hex}.{extension}", upload, save=False)
    try:
        _full_clean(photo, exclude=["property"])
        photo.save()
    except Exception:
        photo.image.storage.delete(photo.image.name)
        raise
    return photo


@transaction.atomic
def property_photo_remove(*, actor: User, photo_id: int) -> Property:
    """Remove a photo of the actor's listing; the others move up (positions 0..n-1). The file
    is deleted from the storage once the transaction commits."""
    photo = selectors.visible_photos(viewer=actor).filter(pk=photo_id).first()
    if photo is None:
        raise PhotoNotFound(field="id")
    listing = _listing_for_change(actor=actor, property_id=photo.property_id, lock=True)
    name = photo.image.name
    photo.delete()
    remaining = list(listing.photos.order_by("position", "id"))
    for position, other in enumerate(remaining):
        other.position = position
    PropertyPhoto.objects.bulk_update(remaining, ["position"])
    if name:
        from domains.properties.tasks import delete_stored_file

        outbox.enqueue(delete_stored_file, name)
    return listing


def stored_file_delete(*, name: str) -> None:
    """Delete a file from the media storage (missing files are fine)."""
    default_storage.delete(name)


# --- calendar ----------------------------------------------------------------------------------


def _check_block_dates(start_date: date, end_date: date) -> None:
    today = timezone.localdate()
    if start_date < today:
        raise DomainError("The dates may not start in the past.", field="start_date")
    if end_date <= start_date:
        raise DomainError("`endDate` must be after `startDate`.", field="end_date")
    if end_date > today + timedelta(days=settings.CALENDAR_MAX_DAYS_AHEAD):
        raise DomainError(
            f"The calendar reaches {settings.CALENDAR_MAX_DAYS_AHEAD} days ahead.",
            field="end_date",
        )


@transaction.atomic
def property_dates_block(
    *, actor: User, property_id: int, start_date: date, end_date: date, blocked: bool
) -> Property:
    """Block (`blocked`) or unblock the nights [start_date, end_date) of the actor's listing.

    Blocks are kept merged: a new block absorbs the blocks it overlaps or touches; unblocking
    part of a block leaves what is outside the range. Blocking a night an active booking holds
    is refused (DATES_UNAVAILABLE)."""
    _check_block_dates(start_date, end_date)
    listing = _listing_for_change(
        actor=actor, property_id=property_id, lock=True, field="property_id"
    )
    if blocked:
        if overlapping_bookings(start_date, end_date).filter(property_id=listing.pk).exists():
            raise DatesUnavailable()
        touching = list(
            BlockedPeriod.objects.filter(
                property=listing, start_date__lte=end_date, end_date__gte=start_date
            )
        )
        merged = BlockedPeriod(
            property=listing,
            start_date=min([start_date, *(block.start_date for block in touching)]),
            end_date=max([end_date, *(block.end_date for block in touching)]),
        )
        BlockedPeriod.objects.filter(pk__in=[block.pk for block in touching]).delete()
        _full_clean(merged, exclude=["property"])
        merged.save()
        return listing
    overlapping = list(
        BlockedPeriod.objects.filter(
            property=listing, start_date__lt=end_date, end_date__gt=start_date
        )
    )
    remnants = []
    for block in overlapping:
        if block.start_date < start_date:
            remnants.append((block.start_date, start_date))
        if block.end_date > end_date:
            remnants.append((end_date, block.end_date))
    BlockedPeriod.objects.filter(pk__in=[block.pk for block in overlapping]).delete()
    BlockedPeriod.objects.bulk_create(
        [BlockedPeriod(property=listing, start_date=s, end_date=e) for s, e in remnants]
    )
    return listing
