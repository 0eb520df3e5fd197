"""Reads of listings. Visibility: published listings for everybody; a host also sees their own
unpublished ones; staff see all. Deleted listings are gone for everybody."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet

from domains.properties.models import Amenity, Property, PropertyPhoto

# The amenity catalogue changes a few times a year and is read by every listing form, every
# amenity filter of a search and the `amenities` query: one Redis entry serves them all, deleted
# whenever an amenity is saved or deleted (domains/properties/signals.py).
AMENITY_CACHE_KEY = "properties:amenities:v1"


def property_visibility(viewer=None, *, prefix: str = "") -> Q:
    """The filter of listings `viewer` may see; `prefix` applies it through a relation
    (e.g. `property__` on photos)."""
    visible = Q(**{f"{prefix}deleted_at__isnull": True})
    if viewer is not None and viewer.is_staff:
        return visible
    published = Q(**{f"{prefix}is_published": True})
    if viewer is not None:
        return visible & (published | Q(**{f"{prefix}host": viewer}))
    return visible & published


def visible_properties(*, viewer=None) -> QuerySet[Property]:
    return Property.objects.filter(property_visibility(viewer))


def published_properties() -> QuerySet[Property]:
    """What search shows: published, not deleted (the partial indexes cover exactly this)."""
    return Property.objects.filter(is_published=True, deleted_at__isnull=True)


def host_listings(*, host, viewer=None) -> QuerySet[Property]:
    """A host's listings, newest first: all of them (unpublished too) for the host and staff,
    the published ones for everybody else. Deleted ones never."""
    listings = Property.objects.filter(host=host, deleted_at__isnull=True)
    if viewer is None or (viewer.pk != host.pk and not viewer.is_staff):
        listings = listings.filter(is_published=True)
    return listings.order_by("-created_at", "-id")


def visible_photos(*, viewer=None) -> QuerySet[PropertyPhoto]:
    return PropertyPhoto.objects.filter(property_visibility(viewer, prefix="property__"))


def amenities() -> QuerySet[Amenity]:
    return Amenity.objects.order_by("name")


def amenity_list() -> list[Amenity]:
    """Every amenity by name, from the cache (unsaved-looking instances with id, code, name)."""
    rows = cache.get(AMENITY_CACHE_KEY)
    if rows is None:
        rows = list(amenities().values_list("id", "code", "name"))
        cache.set(AMENITY_CACHE_KEY, rows, timeout=settings.AMENITY_CACHE_SECONDS)
    return [Amenity(id=pk, code=code, name=name) for pk, code, name in rows]


def amenity_ids_by_code() -> dict[str, int]:
    return {amenity.code: amenity.pk for amenity in amenity_list()}


def forget_amenities() -> None:
    cache.delete(AMENITY_CACHE_KEY)
