"""Reservations, with the price snapshot taken when they were made."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round

from domains.properties.models import MONEY, CancellationPolicy, Property


class BookingStatus(models.TextChoices):
    PENDING = "PENDING", "Pending: holds the dates until paid (and accepted, for a request)"
    CONFIRMED = "CONFIRMED", "Confirmed"
    CANCELLED = "CANCELLED", "Cancelled by the guest or the host"
    DECLINED = "DECLINED", "Declined by the host"
    EXPIRED = "EXPIRED", "Expired unpaid or unanswered"
    COMPLETED = "COMPLETED", "Completed: the stay is over"


# Statuses that hold dates on the calendar. The PostgreSQL exclusion constraint (added by
# migration 0002, see there) lists the same values.
ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class Booking(models.Model):
    guest = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="bookings")
    check_in = models.DateField()
    check_out = models.DateField(help_text="Exclusive: the guest leaves that morning.")
    guests = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    # Price snapshot: computed on the server when the booking is made, never changed after.
    nightly_rate = models.DecimalField(**MONEY)
    nights = models.PositiveSmallIntegerField()
    subtotal = models.DecimalField(**MONEY)
    cleaning_fee = models.DecimalField(**MONEY)
    service_fee = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    # Terms snapshot, like the price: what the guest agreed to when booking. A later change of
    # the listing (instant book, cancellation policy) does not alter an existing booking.
    instant_book = models.BooleanField(
        default=False, help_text="Confirmed once paid; else the host must accept as well."
    )
    cancellation_policy = models.CharField(
        max_length=16, choices=CancellationPolicy.choices, default=CancellationPolicy.MODERATE
    )
    message = models.TextField(blank=True, max_length=2000)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    # Until when an unpaid PENDING booking holds its dates.
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancellation_reason = models.TextField(blank=True, max_length=1000)
    refund_amount = models.DecimalField(**MONEY, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_out__gt=F("check_in")), name="booking_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(guests__gte=1), name="booking_guests_gte_1"),
            models.CheckConstraint(condition=Q(nights__gte=1), name="booking_nights_gte_1"),
            models.CheckConstraint(
                condition=Q(
                    nightly_rate__gte=0,
                    subtotal__gte=0,
                    cleaning_fee__gte=0,
                    service_fee__gte=0,
                    total__gte=0,
                ),
                name="booking_money_non_negative",
            ),
            # Rounded to the column's 2 places: exact numerics on PostgreSQL (a no-op there), but
            # SQLite computes with floats (19.99 x 7 = 139.92999...) and refused valid rows.
            models.CheckConstraint(
                condition=Q(subtotal=Round(F("nightly_rate") * F("nights"), 2)),
                name="booking_subtotal_is_rate_times_nights",
            ),
            models.CheckConstraint(
                condition=Q(total=Round(F("subtotal") + F("cleaning_fee") + F("service_fee"), 2)),
                name="booking_total_is_sum",
            ),
            models.CheckConstraint(
                condition=Q(refund_amount__isnull=True)
                | Q(refund_amount__gte=0, refund_amount__lte=F("total")),
                name="booking_refund_within_total",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(cancellation_policy__in=CancellationPolicy.values),
                name="booking_policy_valid",
            ),
            models.UniqueConstraint(
                fields=["guest", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="booking_idempotency_key_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["property", "check_in", "check_out"],
                name="booking_dates_idx",
                condition=Q(status__in=["PENDING", "CONFIRMED"]),
            ),
            models.Index(fields=["guest", "-created_at"], name="booking_guest_idx"),
            models.Index(fields=["property", "-created_at"], name="booking_property_idx"),
            models.Index(
                fields=["hold_expires_at"], name="booking_hold_idx", condition=Q(status="PENDING")
            ),
            models.Index(
                fields=["check_out"], name="booking_checkout_idx", condition=Q(status="CONFIRMED")
            ),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} of {self.property_id} {self.check_in}..{self.check_out}"
