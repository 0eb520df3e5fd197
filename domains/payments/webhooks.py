"""Applying the payment provider's webhook events: the source of truth for payment statuses.

Each event is applied at most once: its id is recorded (unique) in the same transaction that
applies it, so a redelivery, even a concurrent one, finds it and changes nothing. Events may
arrive in any order:
- `payment_intent.succeeded` moves any unpaid status to SUCCEEDED (a PaymentIntent that
  succeeded stays succeeded, so its age does not matter);
- `payment_intent.processing`, `.payment_failed` and `.canceled` move an unpaid status to
  PROCESSING or FAILED only if the event is not older than the last one applied (at the same
  second, only forward: REQUIRES_PAYMENT, PROCESSING, FAILED); never a received payment;
- `charge.refunded` carries the running total `amount_refunded`: the largest one seen wins, so
  an older refund event never lowers it.
Events whose amount or currency differ from the payment's are recorded and not applied.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from domains.bookings import services as booking_services
from domains.bookings.models import Booking
from domains.payments.models import Payment, PaymentStatus, ProviderEvent
from domains.payments.services import PAID_STATUSES
from domains.shared.models import validate
from domains.shared.money import SUPPORTED_CURRENCIES, from_minor_units, to_minor_units

logger = logging.getLogger(__name__)

INTENT_STATUS = {
    "payment_intent.processing": PaymentStatus.PROCESSING,
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "payment_intent.payment_failed": PaymentStatus.FAILED,
    "payment_intent.canceled": PaymentStatus.FAILED,
}
CHARGE_REFUNDED = "charge.refunded"
HANDLED_TYPES = frozenset([*INTENT_STATUS, CHARGE_REFUNDED])
# Among unpaid statuses, a same-second event only moves forward.
_RANK = {PaymentStatus.REQUIRES_PAYMENT: 0, PaymentStatus.PROCESSING: 1, PaymentStatus.FAILED: 2}


# What applying an event can do (the webhook answers it, ProviderEvent.outcome keeps it).
OUTCOMES = ("applied", "duplicate", "stale", "ignored", "unknown_payment", "amount_mismatch")


class MalformedEvent(ValueError):
    """A verified body that is not an event this endpoint can read."""


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    created: datetime
    object: dict[str, Any]

    @property
    def reference(self) -> str:
        """The PaymentIntent the event is about."""
        if self.type == CHARGE_REFUNDED:
            return self.object["payment_intent"]
        return self.object["id"]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any, max_length: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= max_length


def parse_event(data: Any) -> WebhookEvent:
    """A typed event from a decoded, verified body, or MalformedEvent."""
    if not isinstance(data, dict):
        raise MalformedEvent("not an object")
    body = data.get("data")
    obj = body.get("object") if isinstance(body, dict) else None
    created = data.get("created")
    if not (
        _text(data.get("id"), 255)
        and _text(data.get("type"), 100)
        and _is_int(created)
        and 0 <= created < 2**37
        and isinstance(obj, dict)
    ):
        raise MalformedEvent("not an event")
    event = WebhookEvent(
        id=data["id"],
        type=data["type"],
        created=datetime.fromtimestamp(created, tz=UTC),
        object=obj,
    )
    if event.type in HANDLED_TYPES:
        reference_key = "payment_intent" if event.type == CHARGE_REFUNDED else "id"
        fine = (
            _text(obj.get(reference_key), 255)
            and _is_int(obj.get("amount"))
            and _text(obj.get("currency"), 3)
        )
        if event.type == CHARGE_REFUNDED:
            fine = fine and _is_int(obj.get("amount_refunded")) and obj["amount_refunded"] >= 0
        if not fine:
            raise MalformedEvent(f"{event.type} without its fields")
    return event


def _matches(payment: Payment, obj: dict[str, Any]) -> bool:
    currency = obj["currency"].upper()
    return (
        currency == payment.currency
        and currency in SUPPORTED_CURRENCIES
        and obj["amount"] == to_minor_units(payment.amount, payment.currency)
    )


def _last_status_event(payment: Payment) -> datetime | None:
    return ProviderEvent.objects.filter(
        payment=payment, outcome="applied", type__in=list(INTENT_STATUS)
    ).aggregate(last=Max("created"))["last"]


def _apply_intent(event: WebhookEvent, payment: Payment, booking: Booking) -> str:
    new = INTENT_STATUS[event.type]
    current = payment.status
    if current in PAID_STATUSES:
        return "stale"  # nothing moves a received payment back
    if new != PaymentStatus.SUCCEEDED:
        last = _last_status_event(payment)
        if last is not None and (
            event.created < last or (event.created == last and _RANK[new] <= _RANK[current])
        ):
            return "stale"
    payment.status = new
    validate(payment, exclude=["booking"])
    payment.save(update_fields=["status", "updated_at"])
    if new == PaymentStatus.SUCCEEDED:
        booking_services.booking_payment_received(booking=booking, payment=payment)
    elif new != current:
        booking_services.booking_payment_changed(booking=booking)
    return "applied"


def _apply_refund(event: WebhookEvent, payment: Payment, booking: Booking) -> str:
    refunded = from_minor_units(event.object["amount_refunded"], payment.currency)
    if refunded > payment.amount:
        return "amount_mismatch"
    if refunded <= payment.refunded_amount:
        return "stale"  # an older running total, or the same one again
    was_paid = payment.status in PAID_STATUSES
    if refunded > payment.refund_requested_amount:
        # Refunded outside the backend (e.g. in the provider's dashboard).
        logger.warning("payment %s refunded beyond what was asked for", payment.pk)
    payment.refunded_amount = refunded
    payment.status = (
        PaymentStatus.REFUNDED if refunded >= payment.amount else PaymentStatus.PARTIALLY_REFUNDED
    )
    validate(payment, exclude=["booking"])
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    if not was_paid:
        # The charge exists, so the payment succeeded: its own event is late or lost.
        booking_services.booking_payment_received(booking=booking, payment=payment)
    else:
        booking_services.booking_payment_changed(booking=booking)
    return "applied"


def _apply(event: WebhookEvent) -> tuple[str, Payment | None]:
    if event.type not in HANDLED_TYPES:
        return "ignored", None
    found = (
        Payment.objects.filter(provider_reference=event.reference)
        .values_list("pk", "booking_id")
        .first()
    )
    if found is None:
        return "unknown_payment", None
    payment_id, booking_id = found
    # The booking's row first, then the payment's: the order every booking service uses.
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("property")
        .get(pk=booking_id)
    )
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if not _matches(payment, event.object):
        logger.warning("event %s does not match payment %s's amount", event.id, payment.pk)
        return "amount_mismatch", payment
    if event.type == CHARGE_REFUNDED:
        return _apply_refund(event, payment, booking), payment
    return _apply_intent(event, payment, booking), payment


@transaction.atomic
def provider_event_apply(*, event: WebhookEvent) -> str:
    """Apply one provider event at most once; returns what it did ("applied", "duplicate",
    "stale", "ignored", "unknown_payment", "amount_mismatch")."""
    try:
        with transaction.atomic():
            record = ProviderEvent.objects.create(
                event_id=event.id, type=event.type, created=event.created, outcome="received"
            )
    except IntegrityError:
        return "duplicate"
    outcome, payment = _apply(event)
    record.outcome = outcome
    record.payment = payment
    record.save(update_fields=["outcome", "payment"])
    logger.info("provider event %s (%s): %s", event.id, event.type, outcome)
    return outcome
