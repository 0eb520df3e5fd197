"""Payments of bookings through a provider (Stripe, or the built-in dev provider)."""

from django.db import models
from django.db.models import F, Q

from domains.bookings.models import Booking
from domains.properties.models import MONEY


class PaymentStatus(models.TextChoices):
    REQUIRES_PAYMENT = "REQUIRES_PAYMENT", "Waiting for the guest to pay"
    PROCESSING = "PROCESSING", "The provider is processing the payment"
    SUCCEEDED = "SUCCEEDED", "Paid"
    FAILED = "FAILED", "The payment failed or was canceled"
    REFUNDED = "REFUNDED", "Refunded in full"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED", "Refunded in part"


class Payment(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="payment")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=16)
    # The provider's id of the payment (a PaymentIntent id, pi_...), named by its events.
    provider_reference = models.CharField(max_length=255, null=True, blank=True, unique=True)
    # The secret the frontend needs to confirm the payment with the provider; card data never
    # reaches the backend.
    client_secret = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.REQUIRES_PAYMENT
    )
    refunded_amount = models.DecimalField(**MONEY, default=0)
    # Refund the backend asked the provider for and that `charge.refunded` has not confirmed.
    refund_requested_amount = models.DecimalField(**MONEY, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0, refunded_amount__lte=F("amount")),
                name="payment_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(
                    refund_requested_amount__gte=0, refund_requested_amount__lte=F("amount")
                ),
                name="payment_refund_request_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Payment {self.pk} ({self.status})"


class ProviderEvent(models.Model):
    """Each provider (webhook) event applied, so that a redelivery is applied at most once."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payment = models.ForeignKey(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    # What applying it did: "applied", or why it changed nothing ("duplicate", "stale", ...).
    outcome = models.CharField(max_length=40)
    created = models.DateTimeField(help_text="When the provider created the event.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type} ({self.outcome})"
