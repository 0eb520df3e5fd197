"""Money arithmetic: Decimal only, rounded half-up to the currency's minor unit."""

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 codes the marketplace accepts, with their minor-unit exponent (Stripe's list of
# zero-decimal currencies among them).
CURRENCY_EXPONENTS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CHF": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "MXN": 2,
    "BRL": 2,
    "ZAR": 2,
    "SGD": 2,
    "HKD": 2,
    "INR": 2,
    "THB": 2,
    "TRY": 2,
    "AED": 2,
    "ILS": 2,
    "JPY": 0,
    "KRW": 0,
    "CLP": 0,
    "VND": 0,
    "ISK": 0,
}
SUPPORTED_CURRENCIES = frozenset(CURRENCY_EXPONENTS)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half up (as a cashier would)."""
    exponent = CURRENCY_EXPONENTS[currency]
    return amount.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str) -> int:
    """An amount in the currency's smallest unit, as payment providers want it."""
    return int(quantize(amount, currency).scaleb(CURRENCY_EXPONENTS[currency]))


def from_minor_units(value: int, currency: str) -> Decimal:
    return quantize(Decimal(value).scaleb(-CURRENCY_EXPONENTS[currency]), currency)
