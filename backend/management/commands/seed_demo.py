"""Load realistic demo data once, through the domain services: accounts, hosts, listings with
photos and calendar blocks, upcoming trips paid through the dev provider's webhook, a request
waiting for the demo host, and past stays with reviews."""

import io
import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw
from strawberry.relay import to_base64

from backend.demo_data import COMMENTS, listing_fields, person_name, pick_city
from domains.bookings import services as bookings
from domains.bookings.models import Booking, BookingStatus
from domains.bookings.pricing import price_quote
from domains.payments import dev
from domains.payments import services as payments
from domains.properties import services as listings
from domains.properties.models import Amenity, Property
from domains.reviews import services as reviews
from domains.reviews.models import Review
from domains.users.models import User

DEMO_PASSWORD = "demo-Pass-2026"
DEMO_HOST, DEMO_GUEST = "host@example.com", "guest@example.com"


def placeholder_photo(rng: random.Random, label: str) -> SimpleUploadedFile:
    """A small JPEG with a colour gradient, standing in for a real photo."""
    width, height = 800, 533
    top = tuple(rng.randint(60, 200) for _ in range(3))
    bottom = tuple(min(255, c + rng.randint(30, 80)) for c in top)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = tuple(int(a + (b - a) * y / height) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=shade)
    draw.text((24, height - 40), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def pay(guest: User, booking: Booking) -> None:
    """Pay as the frontend would: paymentCreate, then the provider's signed webhook."""
    payment = payments.payment_create(guest=guest, booking_id=booking.pk)
    delivery = dev.deliver(dev.intent_event(payment, "succeeded"))
    if delivery.status >= 300:
        raise CommandError(
            f"The webhook refused a dev payment ({delivery.status}): set STRIPE_WEBHOOK_SECRET."
        )


def past_stay(rng: random.Random, guest: User, listing: Property, check_out: date) -> Booking:
    """A stay that is over (history cannot be booked through the service: it is in the past)."""
    nights = rng.randint(2, 6)
    quote = price_quote(listing=listing, check_in=check_out - timedelta(days=nights),
                        check_out=check_out)  # fmt: skip
    return Booking.objects.create(
        guest=guest, property=listing, check_in=check_out - timedelta(days=nights),
        check_out=check_out, guests=min(2, listing.max_guests), status=BookingStatus.COMPLETED,
        **quote.snapshot(), instant_book=listing.instant_book,
        cancellation_policy=listing.cancellation_policy,
    )  # fmt: skip


class Command(BaseCommand):
    help = "Load demo data (accounts, listings, trips, reviews) unless it is there already."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, listings: int, seed: int, **options):
        if User.objects.filter(email=DEMO_HOST).exists():
            self.stdout.write("Demo data is loaded already.")
            return
        # No e-mails for made-up people.
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with quiet, transaction.atomic():
            summary = self.seed(random.Random(seed), listings)
        self.stdout.write(self.style.SUCCESS(summary))

    def seed(self, rng: random.Random, count: int) -> str:
        def member(email: str, name: str, is_host: bool) -> User:
            return User.objects.create_user(email, DEMO_PASSWORD, name=name, is_host=is_host,
                                            is_verified=True)  # fmt: skip

        host = member(DEMO_HOST, "Helena Host", True)
        guest = member(DEMO_GUEST, "Gus Guest", False)
        hosts = [host] + [member(f"host{i}@example.com", person_name(rng), True) for i in range(11)]
        guests = [member(f"guest{i}@example.com", person_name(rng), False) for i in range(1, 25)]
        codes = list(Amenity.objects.values_list("code", flat=True))

        made: list[Property] = []
        for i in range(count):
            data = listing_fields(rng, pick_city(rng))
            data["amenities"] = rng.sample(codes, rng.randint(4, 12))
            listing = listings.property_create(host=hosts[i % len(hosts)], data=data)
            for position in range(rng.randint(2, 4)):
                listings.property_photo_add(
                    actor=listing.host, property_id=listing.pk,
                    upload=placeholder_photo(rng, listing.title), caption=f"View {position + 1}",
                )  # fmt: skip
            if rng.random() < 0.2:
                start = date.today() + timedelta(days=rng.randint(20, 120))
                listings.property_dates_block(
                    actor=listing.host, property_id=listing.pk, start_date=start,
                    end_date=start + timedelta(days=rng.randint(2, 10)), blocked=True,
                )  # fmt: skip
            made.append(listing)
        published = [listing for listing in made if listing.is_published]

        # History: completed stays, most of them reviewed, some answered by the host.
        for listing in published:
            for _ in range(rng.randint(0, 6)):
                stay = past_stay(rng, rng.choice(guests), listing,
                                 date.today() - timedelta(days=rng.randint(20, 400)))  # fmt: skip
                if rng.random() < 0.7:
                    answered = rng.random() < 0.3
                    Review.objects.create(
                        booking=stay, author=stay.guest, property=listing,
                        rating=rng.choices([5, 4, 3, 2, 1], weights=[55, 28, 10, 4, 3])[0],
                        comment=rng.choice(COMMENTS),
                        response="Thank you, come back soon!" if answered else "",
                        responded_at=timezone.now() if answered else None,
                    )  # fmt: skip
            reviews.property_rating_refresh(property_id=listing.pk)

        # The demo guest: a stay that just ended (reviewable), trips ahead, a request pending.
        others = [listing for listing in published if listing.host_id != host.pk]
        recent = past_stay(rng, guest, others[0], date.today() - timedelta(days=2))
        upcoming = []
        for offset, listing in zip((14, 45, 90), others[1:4], strict=False):
            start = date.today() + timedelta(days=offset)
            booking = bookings.booking_create(
                guest=guest, property_id=listing.pk, check_in=start,
                check_out=start + timedelta(days=max(3, listing.min_nights)),
                guests=min(2, listing.max_guests), message="Looking forward to it!",
            )  # fmt: skip
            pay(guest, booking)
            upcoming.append(booking)
        # A request to the demo host, paid and waiting for an answer.
        requestable = next((p for p in published if p.host_id == host.pk), None)
        if requestable is not None:
            listings.property_update(actor=host, property_id=requestable.pk,
                                     data={"instant_book": False})  # fmt: skip
            start = date.today() + timedelta(days=30)
            request = bookings.booking_create(
                guest=guests[0], property_id=requestable.pk, check_in=start,
                check_out=start + timedelta(days=max(4, requestable.min_nights)),
                guests=1, message="Hi Helena, is early check-in possible?",
            )  # fmt: skip
            pay(guests[0], request)
        return (
            f"Loaded {len(hosts)} hosts, {len(guests) + 1} guests, {len(made)} listings, "
            f"{Booking.objects.count()} bookings and {Review.objects.count()} reviews "
            f"(the demo guest can review booking {to_base64('Booking', recent.pk)}). "
            f"Sign in as {DEMO_HOST} or "
            f"{DEMO_GUEST} with the password {DEMO_PASSWORD!r}."
        )
