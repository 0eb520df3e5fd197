"""Payments of bookings: creating one with the provider, asking for refunds and cancellations.

Statuses change only through the provider's webhook events (`domains.payments.webhooks`). Calls
to the provider that follow a change of the database (refunds, cancellations) run in Celery
tasks after the commit, with idempotency keys, so a rolled-back change never moves money and a
retried task never moves it twice.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from domains.bookings import selectors as booking_selectors
from domains.bookings.events import publish_booking_updated
from domains.bookings.models import Booking, BookingStatus
from domains.outbox import services as outbox
from domains.payments import errors, tasks
from domains.payments.models import Payment, PaymentStatus
from domains.payments.providers import get_provider
from domains.shared.errors import Forbidden
from domains.shared.models import validate
from domains.shared.money import to_minor_units

# A payment in one of these is money received (part of it may have gone back).
PAID_STATUSES = (
    PaymentStatus.SUCCEEDED,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED,
)
# A payment in one of these may still be paid with its PaymentIntent.
OPEN_STATUSES = (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.PROCESSING, PaymentStatus.FAILED)


def lock_booking_payment(booking: Booking) -> Payment | None:
    """The booking's payment, row-locked (lock the booking first: the webhook does the same,
    so the two never deadlock)."""
    return Payment.objects.select_for_update().filter(booking_id=booking.pk).first()


@transaction.atomic
def payment_create(*, guest, booking_id: int | None) -> Payment:
    """Start paying a PENDING booking: a PaymentIntent over the booking's total.

    Idempotent: while the payment is open, calling again returns the same payment (and client
    secret). The provider call happens under the booking's row lock, with an idempotency key
    derived from the booking, so concurrent or retried calls create one PaymentIntent."""
    booking = booking_selectors.lock_visible_booking(
        actor=guest, booking_id=booking_id, field="booking_id"
    )
    if booking.guest_id != guest.pk:
        raise Forbidden("Only the guest pays for a booking.", field="booking_id")
    payment = Payment.objects.filter(booking=booking).first()
    if payment is not None and payment.status in PAID_STATUSES:
        raise errors.AlreadyPaid(field="booking_id")
    if booking.status != BookingStatus.PENDING:
        raise errors.NotPayable(field="booking_id")
    if payment is not None:
        return payment
    if booking.hold_expires_at is not None and booking.hold_expires_at <= timezone.now():
        raise errors.HoldExpired(field="booking_id")
    provider = get_provider()
    intent = provider.create_intent(
        amount_minor=to_minor_units(booking.total, booking.currency),
        currency=booking.currency,
        idempotency_key=f"booking-{booking.pk}-payment",
        metadata={"booking_id": str(booking.pk)},
    )
    payment = Payment(
        booking=booking,
        amount=booking.total,
        currency=booking.currency,
        provider=provider.name,
        provider_reference=intent.reference,
        client_secret=intent.client_secret,
        status=PaymentStatus.REQUIRES_PAYMENT,
    )
    validate(payment, exclude=["booking"])
    payment.save()
    publish_booking_updated(
        booking_id=booking.pk, guest_id=booking.guest_id, host_id=booking.property.host_id
    )
    return payment


def payment_request_refund(*, payment: Payment, amount: Decimal) -> Decimal:
    """Ask the provider to refund `amount` more of a received payment (locked by the caller);
    returns what was asked for, capped by what is left. `charge.refunded` confirms it."""
    amount = min(amount, payment.amount - payment.refund_requested_amount)
    if amount <= 0 or payment.status not in PAID_STATUSES:
        return Decimal("0")
    payment.refund_requested_amount += amount
    validate(payment, exclude=["booking"])
    payment.save(update_fields=["refund_requested_amount", "updated_at"])
    amount_minor = to_minor_units(amount, payment.currency)
    target_minor = to_minor_units(payment.refund_requested_amount, payment.currency)
    payment_id = payment.pk
    outbox.enqueue(tasks.request_refund, payment_id, amount_minor, target_minor)
    return amount


def payment_cancel_open(*, payment: Payment) -> None:
    """Ask the provider to cancel a payment nobody completed, so the guest cannot pay for a
    booking that is over (best effort: a success that still arrives is refunded in full)."""
    if payment.status in (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.FAILED):
        payment_id = payment.pk
        outbox.enqueue(tasks.cancel_intent, payment_id)
