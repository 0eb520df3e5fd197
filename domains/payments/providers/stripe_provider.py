"""Stripe: PaymentIntents (amounts in minor units), refunds and cancellations.

Every call carries an idempotency key, so a retry (ours, or the client library's network
retries) never creates a second PaymentIntent or refund.
"""

import logging

import stripe
from django.conf import settings

from domains.payments.providers import Intent, ProviderError

logger = logging.getLogger(__name__)


class StripeProvider:
    name = "stripe"

    def _client(self) -> stripe.StripeClient:
        base = settings.STRIPE_API_BASE
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses={"api": base} if base else None,
            max_network_retries=2,
        )

    def create_intent(
        self, *, amount_minor: int, currency: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent:
        try:
            intent = self._client().v1.payment_intents.create(
                params={"amount": amount_minor, "currency": currency.lower(), "metadata": metadata},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            # The error's code and type only: its message may quote request data.
            logger.warning(
                "Stripe refused a PaymentIntent: %s %s", type(error).__name__, error.code
            )
            raise ProviderError() from error
        return Intent(reference=intent.id, client_secret=intent.client_secret)

    def refund(
        self, *, reference: str, amount_minor: int, idempotency_key: str, metadata: dict[str, str]
    ) -> None:
        self._client().v1.refunds.create(
            params={"payment_intent": reference, "amount": amount_minor, "metadata": metadata},
            options={"idempotency_key": idempotency_key},
        )

    def cancel(self, *, reference: str, idempotency_key: str) -> None:
        self._client().v1.payment_intents.cancel(
            reference, options={"idempotency_key": idempotency_key}
        )
