"""Booking tasks: the beat's expiry and completion sweeps, and the booking e-mails.

The sweeps are idempotent: they pick candidates, and the services re-check each one under its
row lock, so overlapping runs (or a run racing a webhook) change every booking at most once.
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from domains.bookings.models import Booking, BookingStatus
from domains.shared.email import send_templated_email

SWEEP_BATCH = 500


@shared_task
def expire_holds() -> int:
    """Expire PENDING bookings whose hold is over; returns how many expired."""
    from domains.bookings.services import booking_expire

    now = timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.PENDING, hold_expires_at__lte=now
    ).values_list("pk", flat=True)[:SWEEP_BATCH]
    return sum(booking_expire(booking_id=pk, now=now) for pk in list(due))


@shared_task
def complete_stays() -> int:
    """Complete CONFIRMED bookings whose check-out day has come; returns how many."""
    from domains.bookings.services import booking_complete

    today = timezone.now().date()
    due = Booking.objects.filter(status=BookingStatus.CONFIRMED, check_out__lte=today).values_list(
        "pk", flat=True
    )[:SWEEP_BATCH]
    return sum(booking_complete(booking_id=pk, today=today) for pk in list(due))


EMAILS = ("requested", "confirmed", "declined", "cancelled", "expired")


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_booking_email(booking_id: int, kind: str, role: str) -> None:
    """E-mail the guest or the host (`role`) about the booking's `kind` of change."""
    booking = (
        Booking.objects.select_related("guest", "property__host", "payment")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or kind not in EMAILS:
        return
    recipient = booking.guest if role == "guest" else booking.property.host
    send_templated_email(
        to=recipient.email,
        template=f"booking_{kind}",
        context={
            "booking": booking,
            "listing": booking.property,
            "guest": booking.guest,
            "host": booking.property.host,
            "recipient": recipient,
            "for_host": role == "host",
            "response_hours": settings.BOOKING_HOST_RESPONSE_HOURS,
        },
    )
