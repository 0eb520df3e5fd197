"""The price of a stay, computed on the server only, in the listing's currency.

nights x nightly rate = subtotal; plus the listing's cleaning fee; plus the guest service fee,
SERVICE_FEE_RATE x (subtotal + cleaning fee) rounded half-up to the currency's minor unit; the
total is their sum. Decimal throughout: the booking stores this snapshot as it was quoted.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from domains.properties.models import Property
from domains.shared.money import quantize


@dataclass(frozen=True)
class PriceQuote:
    nights: int
    nightly_rate: Decimal
    subtotal: Decimal
    cleaning_fee: Decimal
    service_fee: Decimal
    total: Decimal
    currency: str

    def snapshot(self) -> dict:
        """The booking's price-snapshot columns, which bear these names."""
        return dataclasses.asdict(self)


def service_fee(amount: Decimal, currency: str) -> Decimal:
    return quantize(amount * settings.SERVICE_FEE_RATE, currency)


def price_quote(*, listing: Property, check_in: date, check_out: date) -> PriceQuote:
    currency = listing.currency
    nights = (check_out - check_in).days
    nightly_rate = quantize(listing.price_per_night, currency)
    subtotal = nightly_rate * nights  # exact: the rate is already in minor units
    cleaning_fee = quantize(listing.cleaning_fee, currency)
    fee = service_fee(subtotal + cleaning_fee, currency)
    return PriceQuote(
        nights=nights,
        nightly_rate=nightly_rate,
        subtotal=subtotal,
        cleaning_fee=cleaning_fee,
        service_fee=fee,
        total=subtotal + cleaning_fee + fee,
        currency=currency,
    )
