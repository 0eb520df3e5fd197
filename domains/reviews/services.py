"""Writing reviews and responses, and keeping each listing's rating aggregates exact.

The aggregates (review_count, rating_average, rating_histogram) are denormalised onto the
listing so search can filter and sort on them without touching the reviews table. Every write
recomputes them from the reviews table in the same transaction, under the listing's row lock,
so they never drift and concurrent reviews of one listing cannot lose an update.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from domains.bookings.models import BookingStatus
from domains.bookings.selectors import lock_visible_booking
from domains.outbox import services as outbox
from domains.properties.models import Property
from domains.reviews import errors, tasks
from domains.reviews.models import Review
from domains.reviews.selectors import review_window_open
from domains.shared.errors import DomainError, ErrorCode, Forbidden, NotFound, ValidationFailed
from domains.shared.models import validate
from domains.shared.text import plain_text
from domains.users.models import User

TEXT_MAX_LENGTH = 2000


def _clean_text(value: str | None, *, field: str, label: str) -> str:
    """Plain text (`plain_text`); refuses empty or over-long text."""
    text = plain_text(value)
    if not text:
        raise DomainError(f"Write a {label}.", code=ErrorCode.REQUIRED, field=field)
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(f"The {label} may be at most {TEXT_MAX_LENGTH} characters.", field=field)
    return text


def property_rating_refresh(*, property_id: int) -> Property:
    """Recompute a listing's rating aggregates from its reviews (call inside a transaction)."""
    listing = Property.objects.select_for_update().get(pk=property_id)
    counts = dict(
        Review.objects.filter(property_id=property_id)
        .values_list("rating")
        .annotate(n=Count("id"))
        .values_list("rating", "n")
    )
    total = sum(counts.values())
    listing.review_count = total
    listing.rating_histogram = [counts.get(rating, 0) for rating in range(1, 6)]
    listing.rating_average = (
        (Decimal(sum(r * n for r, n in counts.items())) / total).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        if total
        else None
    )
    listing.save(update_fields=["review_count", "rating_histogram", "rating_average"])
    return listing


@transaction.atomic
def review_create(*, author: User, booking_id: int | None, rating: int, comment: str) -> Review:
    """The guest reviews a completed stay, once, within the review window."""
    booking = lock_visible_booking(actor=author, booking_id=booking_id, field="bookingId")
    if booking.guest_id != author.pk:
        raise Forbidden("Only the guest can review a stay.", field="bookingId")
    if booking.status != BookingStatus.COMPLETED:
        raise errors.StayNotOver(field="bookingId")
    if Review.objects.filter(booking=booking).exists():
        raise errors.AlreadyReviewed(field="bookingId")
    if not review_window_open(check_out=booking.check_out):
        raise errors.ReviewWindowClosed(field="bookingId")
    problems = []
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        problems.append(DomainError("Rate the stay from 1 to 5.", field="rating"))
    try:
        comment = _clean_text(comment, field="comment", label="comment")
    except DomainError as error:
        problems.append(error)
    if problems:
        raise ValidationFailed(problems)

    review = Review(
        booking=booking,
        author=author,
        property_id=booking.property_id,
        rating=rating,
        comment=comment,
    )
    validate(review, exclude=["booking", "author", "property"])
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # a concurrent review of the same booking won
        raise errors.AlreadyReviewed(field="bookingId")
    property_rating_refresh(property_id=booking.property_id)
    outbox.enqueue(tasks.notify_host_of_review, review.pk)
    return review


@transaction.atomic
def review_respond(*, host: User, review_id: int | None, response: str) -> Review:
    """The listing's host answers a review, once, within the response window."""
    review = (
        Review.objects.select_for_update().select_related("property").filter(pk=review_id).first()
        if review_id
        else None
    )
    if review is None:
        raise NotFound("No such review.", field="reviewId")
    if review.property.host_id != host.pk:
        raise Forbidden("Only the listing's host can respond to its reviews.", field="reviewId")
    if review.responded_at is not None:
        raise errors.AlreadyResponded(field="reviewId")
    deadline = review.created_at + timedelta(days=settings.REVIEW_RESPONSE_WINDOW_DAYS)
    if timezone.now() > deadline:
        raise errors.ResponseWindowClosed(field="reviewId")
    review.response = _clean_text(response, field="response", label="response")
    review.responded_at = timezone.now()
    validate(review, exclude=["booking", "author", "property"])
    review.save(update_fields=["response", "responded_at", "updated_at"])
    outbox.enqueue(tasks.notify_guest_of_response, review.pk)
    return review


@transaction.atomic
def review_delete(*, review: Review) -> None:
    """Staff remove a review (moderation); the listing's aggregates follow."""
    property_id = review.property_id
    review.delete()
    property_rating_refresh(property_id=property_id)
