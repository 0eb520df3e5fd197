"""Reads of reviews, and who may review a stay."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet

from domains.bookings.models import Booking, BookingStatus
from domains.reviews.models import Review


def property_reviews(*, property_id: int) -> QuerySet[Review]:
    """A listing's reviews, newest first (all reviews are public)."""
    return Review.objects.filter(property_id=property_id).order_by("-created_at", "-id")


def author_reviews(*, author_id: int) -> QuerySet[Review]:
    """The reviews a member wrote, newest first."""
    return Review.objects.filter(author_id=author_id).order_by("-created_at", "-id")


def review_window_open(*, check_out: date, today: date | None = None) -> bool:
    """A stay can be reviewed from check-out for REVIEW_WINDOW_DAYS days."""
    today = today or date.today()
    return check_out <= today <= check_out + timedelta(days=settings.REVIEW_WINDOW_DAYS)


def can_review(*, booking: Booking, viewer, has_review: bool) -> bool:
    """Whether `viewer` may review `booking` now: its guest, the stay COMPLETED, within the
    window, and not reviewed yet (`has_review`, so a list can pass what it prefetched)."""
    return (
        viewer is not None
        and booking.guest_id == viewer.pk
        and booking.status == BookingStatus.COMPLETED
        and not has_review
        and review_window_open(check_out=booking.check_out)
    )
