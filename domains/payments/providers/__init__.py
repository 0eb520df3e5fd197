"""Payment providers behind one interface: Stripe, and the built-in `dev` provider.

A provider creates a payment (a PaymentIntent: the id the webhook events name and the client
secret the frontend confirms the payment with), refunds, and cancels an unpaid payment. Card
data never reaches the backend. What happens to a payment is learned from the provider's signed
webhook events only (`domains.payments.webhooks`), for both providers.
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from domains.shared.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class Intent:
    reference: str  # the provider's id of the payment (pi_...)
    client_secret: str


class ProviderError(DomainError):
    """The provider refused the request or could not be reached."""

    default_code = ErrorCode.PAYMENT_ERROR
    default_message = "The payment provider could not take the request. Try again shortly."


class PaymentProvider(Protocol):
    name: str

    def create_intent(
        self, *, amount_minor: int, currency: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent: ...

    def refund(
        self, *, reference: str, amount_minor: int, idempotency_key: str, metadata: dict[str, str]
    ) -> None: ...

    def cancel(self, *, reference: str, idempotency_key: str) -> None: ...


PROVIDERS: dict[str, str] = {
    "stripe": "domains.payments.providers.stripe_provider.StripeProvider",
    "dev": "domains.payments.providers.dev_provider.DevProvider",
}


def get_provider(name: str | None = None) -> PaymentProvider:
    """The provider `name`, by default the configured one (PAYMENT_PROVIDER)."""
    name = name or settings.PAYMENT_PROVIDER
    try:
        return import_string(PROVIDERS[name])()
    except KeyError:
        raise ValueError(f"Unknown payment provider {name!r}") from None
