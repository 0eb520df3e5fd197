import pytest
from django.db import IntegrityError, transaction

from domains.reviews.models import Review
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rating", [0, 6])
def test_rating_is_between_1_and_5(rating):
    review = ReviewFactory()
    with pytest.raises(IntegrityError, match="review_rating_1_5"), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(rating=rating)


def test_one_review_per_booking():
    review = ReviewFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(booking=review.booking)


def test_comment_is_required():
    review = ReviewFactory()
    with pytest.raises(IntegrityError, match="review_comment_not_empty"), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(comment="")
