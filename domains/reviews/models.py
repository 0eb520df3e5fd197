"""A guest's review of a completed stay, and the host's one response."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from domains.bookings.models import Booking
from domains.properties.models import Property


class Review(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="review")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(max_length=2000)
    response = models.TextField(max_length=2000, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_5"
            ),
            models.CheckConstraint(condition=~Q(comment=""), name="review_comment_not_empty"),
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True) | ~Q(response=""),
                name="review_response_with_date",
            ),
        ]
        indexes = [
            models.Index(fields=["property", "-created_at", "-id"], name="review_property_idx"),
            models.Index(fields=["author", "-created_at"], name="review_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk}: {self.rating}/5"
