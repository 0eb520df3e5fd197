"""`manage.py seed_demo`, which `make run` calls: realistic data, through the services, once."""

import pytest
from django.core.management import call_command

from domains.bookings.models import Booking, BookingStatus
from domains.payments.models import PaymentStatus
from domains.properties.models import Property
from domains.reviews.models import Review
from domains.users.models import User


@pytest.mark.django_db
def test_seed_demo_loads_a_consistent_marketplace_once(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_seed"
    call_command("seed_demo", listings=8)
    assert "Sign in as host@example.com" in capsys.readouterr().out
    guest = User.objects.get(email="guest@example.com")
    assert guest.check_password("demo-Pass-2026")
    assert Property.objects.count() == 8
    assert all(listing.photos.exists() for listing in Property.objects.all())
    trips = Booking.objects.filter(guest=guest)
    assert trips.filter(status=BookingStatus.COMPLETED).exists()
    for trip in trips.exclude(status=BookingStatus.COMPLETED):
        assert trip.payment.status == PaymentStatus.SUCCEEDED
    request = Booking.objects.get(property__host__email="host@example.com", status="PENDING")
    assert request.payment.status == PaymentStatus.SUCCEEDED  # paid, waiting for the host
    for listing in Property.objects.filter(review_count__gt=0):
        assert listing.review_count == Review.objects.filter(property=listing).count()
    call_command("seed_demo", listings=8)
    assert "loaded already" in capsys.readouterr().out
    assert Property.objects.count() == 8
