"""Checks of a listing's fields, each failure a DomainError naming its (snake_case) field.

The model's validators and the database's check constraints hold the same rules; these give
the friendly, typed errors first and normalise what clients send (trimmed text, upper-case
currency, coordinates to six decimals).
"""

import math
from decimal import Decimal, InvalidOperation

from django.conf import settings

from domains.properties import selectors
from domains.properties.models import CancellationPolicy, PropertyType
from domains.shared.errors import DomainError, ErrorCode
from domains.shared.money import CURRENCY_EXPONENTS, SUPPORTED_CURRENCIES

TEXT_LIMITS = {"title": 120, "description": 5000, "address": 255, "city": 100, "country": 100}
REQUIRED_TEXT = {"title", "address", "city", "country"}
COUNT_LIMITS = {  # field: (min, max)
    "max_guests": (1, 50),
    "bedrooms": (0, 100),
    "beds": (0, 200),
    "min_nights": (1, 365),
    "max_nights": (1, 365),
}
BOOLEANS = ("instant_book", "is_published")
MAX_AMENITIES = 100
CENT = Decimal("0.01")


def _invalid(field: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> DomainError:
    return DomainError(message, code=code, field=field)


def _text(field: str, value) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise _invalid(field, "Text may not contain NUL characters.")
    if field in REQUIRED_TEXT and not value:
        raise _invalid(field, "This field is required.", ErrorCode.REQUIRED)
    if len(value) > TEXT_LIMITS[field]:
        raise _invalid(field, f"At most {TEXT_LIMITS[field]} characters.")
    return value


def _coordinate(field: str, value, limit: int) -> Decimal:
    if value is None or not math.isfinite(value) or not -limit <= value <= limit:
        raise _invalid(field, f"Must be between -{limit} and {limit} degrees.")
    return Decimal(f"{value:.6f}")


def _money(field: str, value, *, minimum: Decimal) -> Decimal:
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise _invalid(field, "Not an amount.")
    if not value.is_finite() or value < minimum or value > settings.LISTING_MAX_PRICE:
        raise _invalid(field, f"Must be between {minimum} and {settings.LISTING_MAX_PRICE}.")
    if value != value.quantize(CENT):
        raise _invalid(field, "At most two decimal places.")
    # The column's scale, so the answer shows what a later read returns ("25" -> "25.00").
    return value.quantize(CENT)


def _count(field: str, value) -> int:
    low, high = COUNT_LIMITS[field]
    if value is None or not low <= value <= high:
        raise _invalid(field, f"Must be between {low} and {high}.")
    return value


def _bathrooms(value) -> Decimal:
    if value is None or not math.isfinite(value) or not 0 <= value <= 100:
        raise _invalid("bathrooms", "Must be between 0 and 100.")
    if value * 2 != int(value * 2):
        raise _invalid("bathrooms", "Count bathrooms in halves (e.g. 1.5).")
    return Decimal(str(value)).quantize(Decimal("0.1"))


def _currency(value) -> str:
    value = (value or "").strip().upper()
    if value not in SUPPORTED_CURRENCIES:
        raise _invalid("currency", "Unsupported currency (an ISO 4217 code such as EUR).")
    return value


def amenity_ids(codes: list[str] | None) -> list[int]:
    """The ids of amenity codes (unknown codes are an INVALID `amenities` error)."""
    codes = list(dict.fromkeys(code.strip() for code in codes or []))
    if len(codes) > MAX_AMENITIES:
        raise _invalid("amenities", f"At most {MAX_AMENITIES} amenities.")
    known = selectors.amenity_ids_by_code()
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise _invalid("amenities", f"Unknown amenity code(s): {', '.join(unknown[:5])}.")
    return [known[code] for code in codes]


def clean_field(field: str, value):
    """The normalised value of one field, or a DomainError about it."""
    if field in TEXT_LIMITS:
        return _text(field, value)
    if field == "latitude":
        return _coordinate(field, value, 90)
    if field == "longitude":
        return _coordinate(field, value, 180)
    if field == "price_per_night":
        return _money(field, value, minimum=Decimal("1"))
    if field == "cleaning_fee":
        return _money(field, value, minimum=Decimal("0"))
    if field == "currency":
        return _currency(value)
    if field in COUNT_LIMITS:
        return _count(field, value)
    if field == "bathrooms":
        return _bathrooms(value)
    if field == "property_type":
        if value not in PropertyType.values:
            raise _invalid(field, "Unknown property type.")
        return value
    if field == "cancellation_policy":
        if value not in CancellationPolicy.values:
            raise _invalid(field, "Unknown cancellation policy.")
        return value
    if field in BOOLEANS:
        if not isinstance(value, bool):
            raise _invalid(field, "Must be true or false.")
        return value
    raise _invalid(field, "Unknown field.")


def check_consistency(values: dict) -> list[DomainError]:
    """Rules between fields, on the listing's values after the change."""
    errors = []
    if values["min_nights"] > values["max_nights"]:
        errors.append(_invalid("max_nights", "The longest stay is shorter than the shortest."))
    exponent = CURRENCY_EXPONENTS[values["currency"]]
    for field in ("price_per_night", "cleaning_fee"):
        amount = values[field]
        if amount != amount.quantize(Decimal(1).scaleb(-exponent)):
            errors.append(
                _invalid(field, f"{values['currency']} amounts have {exponent} decimal places.")
            )
    return errors
