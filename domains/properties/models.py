"""Listings: the place, its photos, its amenities and the date ranges its host blocked."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower


class PropertyType(models.TextChoices):
    APARTMENT = "APARTMENT", "Apartment"
    HOUSE = "HOUSE", "House"
    ROOM = "ROOM", "Private room"
    CABIN = "CABIN", "Cabin"
    VILLA = "VILLA", "Villa"
    OTHER = "OTHER", "Other"


class CancellationPolicy(models.TextChoices):
    FLEXIBLE = "FLEXIBLE", "Flexible: full refund until 24 hours before check-in"
    MODERATE = "MODERATE", "Moderate: full refund until 5 days before check-in, 50% after"
    STRICT = "STRICT", "Strict: 50% refund until 7 days before check-in, none after"


class Amenity(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "amenities"

    def __str__(self) -> str:
        return self.name


MONEY = {"max_digits": 12, "decimal_places": 2}


class Property(models.Model):
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="properties"
    )
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=5000, blank=True)
    property_type = models.CharField(max_length=16, choices=PropertyType.choices)
    address = models.CharField(max_length=255)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=100)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    price_per_night = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("1"))])
    currency = models.CharField(max_length=3, default="USD")
    cleaning_fee = models.DecimalField(
        **MONEY, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    max_guests = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    bedrooms = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(100)])
    beds = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(200)])
    bathrooms = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amenities = models.ManyToManyField(Amenity, blank=True, related_name="properties")
    instant_book = models.BooleanField(default=False)
    cancellation_policy = models.CharField(
        max_length=16, choices=CancellationPolicy.choices, default=CancellationPolicy.MODERATE
    )
    min_nights = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    max_nights = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    is_published = models.BooleanField(default=False)
    # Denormalised review aggregates, written by the review services in the same transaction
    # as the review: search filters and sorts on them without touching the reviews table.
    review_count = models.PositiveIntegerField(default=0)
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    rating_histogram = models.JSONField(default=list, blank=True)
    # A deleted listing disappears from the product but keeps its bookings and payments.
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "properties"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90), name="property_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="property_longitude_range",
            ),
            models.CheckConstraint(condition=Q(price_per_night__gt=0), name="property_price_gt_0"),
            models.CheckConstraint(
                condition=Q(cleaning_fee__gte=0), name="property_cleaning_gte_0"
            ),
            models.CheckConstraint(condition=Q(max_guests__gte=1), name="property_guests_gte_1"),
            models.CheckConstraint(condition=Q(bathrooms__gte=0), name="property_bathrooms_gte_0"),
            models.CheckConstraint(
                condition=Q(min_nights__gte=1), name="property_min_nights_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(max_nights__gte=F("min_nights")), name="property_nights_ordered"
            ),
            models.CheckConstraint(
                condition=Q(rating_average__isnull=True)
                | Q(rating_average__gte=1, rating_average__lte=5),
                name="property_rating_average_range",
            ),
            models.CheckConstraint(
                condition=Q(property_type__in=PropertyType.values), name="property_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(cancellation_policy__in=CancellationPolicy.values),
                name="property_policy_valid",
            ),
        ]
        indexes = [
            # Search: published, not deleted listings by place, price, rating and age.
            models.Index(
                Lower("city"),
                "price_per_night",
                name="property_city_price_idx",
                condition=Q(is_published=True, deleted_at__isnull=True),
            ),
            models.Index(
                fields=["country"],
                name="property_country_idx",
                condition=Q(is_published=True, deleted_at__isnull=True),
            ),
            models.Index(
                fields=["price_per_night"],
                name="property_price_idx",
                condition=Q(is_published=True, deleted_at__isnull=True),
            ),
            models.Index(
                fields=["-created_at"],
                name="property_newest_idx",
                condition=Q(is_published=True, deleted_at__isnull=True),
            ),
            models.Index(fields=["latitude", "longitude"], name="property_geo_idx"),
            models.Index(fields=["host", "-created_at"], name="property_host_idx"),
        ]

    def __str__(self) -> str:
        return self.title


def photo_path(instance: "PropertyPhoto", filename: str) -> str:
    return f"properties/{instance.property_id}/{filename}"


class PropertyPhoto(models.Model):
    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    caption = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["property", "position", "id"], name="photo_order_idx")]

    def __str__(self) -> str:
        return f"{self.property_id}#{self.position}"


class BlockedPeriod(models.Model):
    """Nights a host took off the calendar: [start_date, end_date), end exclusive."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="blocked_periods")
    start_date = models.DateField()
    end_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="blocked_period_dates_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["property", "start_date", "end_date"], name="blocked_period_idx")
        ]

    def __str__(self) -> str:
        return f"{self.property_id}: {self.start_date}..{self.end_date}"
