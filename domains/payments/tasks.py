"""Calls to the payment provider that follow a committed change: refunds and cancellations.

Each call carries an idempotency key derived from the database state it follows, so Celery's
retries (or a redelivered task) never refund twice.
"""

import logging

import stripe
from celery import shared_task

from domains.payments.models import Payment, PaymentStatus
from domains.payments.providers import get_provider

logger = logging.getLogger(__name__)

# Worth retrying: the provider was unreachable or busy. Anything else is a refusal.
TRANSIENT = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError, OSError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=10)
def request_refund(payment_id: int, amount_minor: int, target_minor: int) -> None:
    """Refund `amount_minor` of a payment; `target_minor` (the refunds asked for in total,
    this one included) keys the request, so it is made once."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or not payment.provider_reference:
        return
    try:
        get_provider(payment.provider).refund(
            reference=payment.provider_reference,
            amount_minor=amount_minor,
            idempotency_key=f"refund-{payment.pk}-{target_minor}",
            metadata={"booking_id": str(payment.booking_id), "payment_id": str(payment.pk)},
        )
    except stripe.InvalidRequestError as error:
        # Refused for good (e.g. refunded in the dashboard already): an operator looks at it;
        # the payment keeps showing refunds asked for but not confirmed.
        logger.error("refund of payment %s refused: %s", payment.pk, error.code)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def cancel_intent(payment_id: int) -> None:
    """Cancel a payment nobody completed (a booking that ended before it was paid)."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or not payment.provider_reference:
        return
    if payment.status not in (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.FAILED):
        return
    try:
        get_provider(payment.provider).cancel(
            reference=payment.provider_reference, idempotency_key=f"cancel-{payment.pk}"
        )
    except stripe.InvalidRequestError as error:
        # Already canceled, or paid meanwhile: a success that arrives is refunded in full.
        logger.info("payment %s not cancelled: %s", payment.pk, error.code)
