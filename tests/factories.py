"""factory-boy factories for every model."""

import functools
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from domains.bookings.models import Booking, BookingStatus
from domains.payments.models import Payment
from domains.properties.models import Amenity, BlockedPeriod, Property, PropertyType
from domains.reviews.models import Review
from domains.users.models import User

PASSWORD = "correct-Horse-battery-9"


@functools.cache
def hashed_password() -> str:
    """One Argon2 hash of PASSWORD for every factory user: hashing costs ~50 ms a user."""
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    name = factory.Faker("name")
    is_verified = True
    password = factory.LazyFunction(hashed_password)


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    host = factory.SubFactory(UserFactory, is_host=True)
    title = factory.Sequence(lambda n: f"Sunny flat #{n}")
    description = "A bright flat near the old town, with a balcony and fast wifi."
    property_type = PropertyType.APARTMENT
    address = factory.Faker("street_address")
    city = "Lisbon"
    country = "Portugal"
    latitude = Decimal("38.722252")
    longitude = Decimal("-9.139337")
    price_per_night = Decimal("100.00")
    currency = "EUR"
    cleaning_fee = Decimal("30.00")
    max_guests = 4
    bedrooms = 2
    beds = 2
    bathrooms = Decimal("1.5")
    is_published = True
    min_nights = 1
    max_nights = 30


def amenity(code: str) -> Amenity:
    return Amenity.objects.get(code=code)


class BlockedPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlockedPeriod

    property = factory.SubFactory(PropertyFactory)
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=10))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=3))


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking with a consistent price snapshot (14 % service fee)."""

    class Meta:
        model = Booking

    guest = factory.SubFactory(UserFactory)
    property = factory.SubFactory(PropertyFactory)
    check_in = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    check_out = factory.LazyAttribute(lambda o: o.check_in + timedelta(days=3))
    guests = 2
    status = BookingStatus.PENDING
    nightly_rate = factory.LazyAttribute(lambda o: o.property.price_per_night)
    nights = factory.LazyAttribute(lambda o: (o.check_out - o.check_in).days)
    subtotal = factory.LazyAttribute(lambda o: o.nightly_rate * o.nights)
    cleaning_fee = factory.LazyAttribute(lambda o: o.property.cleaning_fee)
    service_fee = factory.LazyAttribute(
        lambda o: ((o.subtotal + o.cleaning_fee) * Decimal("0.14")).quantize(Decimal("0.01"))
    )
    total = factory.LazyAttribute(lambda o: o.subtotal + o.cleaning_fee + o.service_fee)
    currency = factory.LazyAttribute(lambda o: o.property.currency)
    hold_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=30))
    instant_book = factory.LazyAttribute(lambda o: o.property.instant_book)
    cancellation_policy = factory.LazyAttribute(lambda o: o.property.cancellation_policy)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    booking = factory.SubFactory(BookingFactory)
    amount = factory.LazyAttribute(lambda o: o.booking.total)
    currency = factory.LazyAttribute(lambda o: o.booking.currency)
    provider = "dev"
    provider_reference = factory.Sequence(lambda n: f"pi_test_{n:08d}")
    client_secret = factory.LazyAttribute(lambda o: f"{o.provider_reference}_secret_x")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    booking = factory.SubFactory(
        BookingFactory,
        status=BookingStatus.COMPLETED,
        check_in=factory.LazyFunction(lambda: date.today() - timedelta(days=5)),
    )
    author = factory.LazyAttribute(lambda o: o.booking.guest)
    property = factory.LazyAttribute(lambda o: o.booking.property)
    rating = 5
    comment = "Lovely place, great host."
