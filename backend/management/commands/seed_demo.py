"""Load realistic demo data once: demo accounts, hosts, listings with photos."""

import io
import random

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw

from backend.demo_data import listing_fields, person_name, pick_city
from domains.properties.models import Amenity, Property, PropertyPhoto
from domains.users.models import User

DEMO_PASSWORD = "demo-Pass-2026"
DEMO_ACCOUNTS = [
    ("host@example.com", "Helena Host", True),
    ("guest@example.com", "Gus Guest", False),
]


def placeholder_photo(rng: random.Random, label: str) -> ContentFile:
    """A small JPEG with a colour gradient, standing in for a real photo."""
    width, height = 800, 533
    top = tuple(rng.randint(60, 200) for _ in range(3))
    bottom = tuple(min(255, c + rng.randint(30, 80)) for c in top)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    draw.text((24, height - 40), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


class Command(BaseCommand):
    help = "Load demo data (accounts, hosts, listings with photos) unless it is there already."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic
    def handle(self, *args, listings: int, seed: int, **options):
        if User.objects.filter(email=DEMO_ACCOUNTS[0][0]).exists():
            self.stdout.write("Demo data is loaded already.")
            return
        rng = random.Random(seed)
        demo = {
            email: User.objects.create_user(
                email, DEMO_PASSWORD, name=name, is_host=is_host, is_verified=True
            )
            for email, name, is_host in DEMO_ACCOUNTS
        }
        hosts = [demo["host@example.com"]] + [
            User.objects.create_user(
                f"host{i}@example.com",
                DEMO_PASSWORD,
                name=person_name(rng),
                is_host=True,
                is_verified=True,
            )
            for i in range(1, 12)
        ]
        amenities = list(Amenity.objects.all())
        for i in range(listings):
            listing = Property.objects.create(
                host=hosts[i % len(hosts)], **listing_fields(rng, pick_city(rng))
            )
            listing.amenities.set(rng.sample(amenities, rng.randint(4, 12)))
            for position in range(rng.randint(2, 4)):
                photo = PropertyPhoto(
                    property=listing, position=position, caption=f"View {position + 1}"
                )
                photo.image.save("photo.jpg", placeholder_photo(rng, listing.title), save=False)
                photo.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(hosts)} hosts and {listings} listings. Sign in as "
                f"host@example.com or guest@example.com with the password {DEMO_PASSWORD!r}."
            )
        )
