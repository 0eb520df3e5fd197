"""The built-in `dev` provider of the embedded default: no network, no card.

It makes PaymentIntent-like ids (`pi_dev_...`) and client secrets. A payment stays in
REQUIRES_PAYMENT until somebody completes it (`manage.py dev_pay`, or the development checkout
page), which sends the same signed events Stripe would through the same webhook endpoint.
Refunds and cancellations are confirmed the same way (`charge.refunded`,
`payment_intent.canceled`), at once.
"""

import secrets

from domains.payments import dev
from domains.payments.models import Payment
from domains.payments.providers import Intent
from domains.shared.money import to_minor_units


class DevProvider:
    name = "dev"

    def create_intent(
        self, *, amount_minor: int, currency: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent:
        reference = "pi_dev_" + secrets.token_hex(12)
        return Intent(
            reference=reference, client_secret=f"{reference}_secret_{secrets.token_urlsafe(18)}"
        )

    def refund(
        self, *, reference: str, amount_minor: int, idempotency_key: str, metadata: dict[str, str]
    ) -> None:
        payment = Payment.objects.get(provider_reference=reference)
        # Like Stripe, the event carries the charge's running total of refunds.
        total = to_minor_units(payment.refund_requested_amount, payment.currency)
        dev.deliver(
            dev.event("charge.refunded", dev.charge_object(payment, amount_refunded_minor=total))
        )

    def cancel(self, *, reference: str, idempotency_key: str) -> None:
        payment = Payment.objects.get(provider_reference=reference)
        dev.deliver(dev.intent_event(payment, "canceled"))
