"""Value types shared by the domains: Money and Image."""

from decimal import Decimal

import strawberry
from django.db.models.fields.files import FieldFile

from schema.context import Info


@strawberry.type(description="An amount of money in one currency.")
class Money:
    amount: Decimal = strawberry.field(
        description='The amount, as a decimal string in the currency\'s major unit (e.g. "120.50").'
    )
    currency: str = strawberry.field(description='The ISO 4217 currency code, e.g. "EUR".')


def money(amount: Decimal | None, currency: str) -> Money | None:
    return None if amount is None else Money(amount=amount, currency=currency)


@strawberry.type(description="An uploaded image.")
class Image:
    url: str = strawberry.field(description="Absolute URL of the image file.")
    width: int | None = strawberry.field(default=None, description="Width in pixels, if known.")
    height: int | None = strawberry.field(default=None, description="Height in pixels, if known.")


def image(file: FieldFile | None, info: Info, *, width=None, height=None) -> Image | None:
    """The Image of a file field, with an absolute URL (None when the field is empty)."""
    if not file:
        return None
    url = file.storage.url(file.name)
    request = info.context.request
    if url.startswith("/") and request is not None and hasattr(request, "build_absolute_uri"):
        url = request.build_absolute_uri(url)
    return Image(url=url, width=width, height=height)
