"""E-mails about reviews."""

from celery import shared_task
from django.conf import settings

from domains.reviews.models import Review
from domains.shared.email import send_templated_email


def _review(review_id: int) -> Review | None:
    return Review.objects.select_related("author", "property__host").filter(pk=review_id).first()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_host_of_review(review_id: int) -> None:
    review = _review(review_id)
    if review is None:  # deleted in the meantime
        return
    send_templated_email(
        to=review.property.host.email,
        template="review_received",
        context={
            "review": review,
            "listing": review.property,
            "host": review.property.host,
            "response_window_days": settings.REVIEW_RESPONSE_WINDOW_DAYS,
        },
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_guest_of_response(review_id: int) -> None:
    review = _review(review_id)
    if review is None:
        return
    send_templated_email(
        to=review.author.email,
        template="review_response",
        context={"review": review, "listing": review.property, "guest": review.author},
    )
