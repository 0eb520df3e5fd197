"""Reads of listings. Visibility: published listings for everybody; a host also sees their own
unpublished ones; staff see all. Deleted listings are gone for everybody."""

from django.db.models import Q, QuerySet

from domains.properties.models import Amenity, Property


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


def amenities() -> QuerySet[Amenity]:
    return Amenity.objects.order_by("name")
