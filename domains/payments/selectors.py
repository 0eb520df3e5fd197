"""Reads of payments: a payment is visible exactly where its booking is."""

from django.db.models import QuerySet

from domains.bookings.selectors import booking_visibility
from domains.payments.models import Payment


def visible_payments(*, viewer) -> QuerySet[Payment]:
    visible = booking_visibility(viewer, prefix="booking__")
    payments = Payment.objects.all()
    return payments if visible is None else payments.filter(visible)


def can_see_client_secret(*, payment: Payment, viewer) -> bool:
    """Only the guest who pays gets the secret that completes the payment."""
    return viewer is not None and payment.booking.guest_id == viewer.pk
