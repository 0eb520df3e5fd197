"""Benchmark data: hosts, guests, listings with amenities and photos, bookings, blocks, reviews.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rental_bench10k \\
        .venv/bin/python -m bench.generate --listings 10000 --bookings 100000

Creates the database when it is missing, migrates it, and fills it (refusing a database that
has listings already, unless --reset). PostgreSQL only: rows go in with COPY, so 100,000
listings and 1,000,000 bookings take a minute or two.

The spread follows backend/demo_data.py: 22 cities weighted by size, log-normal prices around
each city's level, apartment-heavy types. Bookings cluster in the coming weeks (demand decays
with distance) with a past of completed and cancelled stays, never overlapping on a listing;
about half the completed stays have a review, and the listings' rating aggregates are
computed from them. One listing in five has a host block in the coming months.
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC as utc
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

SERVICE_FEE = Decimal("0.14")
CENT = Decimal("0.01")
RATINGS = [1, 2, 3, 4, 5]
RATING_WEIGHTS = [2, 3, 10, 30, 55]


def ensure_database(url: str) -> None:
    """Create the database of `url` when it does not exist (connects to `postgres`)."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    admin = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples) into table; returns how many."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def stays(rng: random.Random, count: int, today: date) -> list[tuple[date, date, str]]:
    """Non-overlapping (check_in, check_out, kind) of one listing; kind is 'booking' or
    'block'. Demand decays with distance: most stays start within ~two months."""
    starts = []
    for _ in range(count):
        if rng.random() < 0.3:
            offset = -rng.randint(1, 180)  # the past
        else:
            offset = min(int(rng.expovariate(1 / 45)), 364)
        starts.append(offset)
    result, free_from = [], None
    for offset in sorted(starts):
        check_in = today + timedelta(days=offset)
        if free_from is not None and check_in < free_from:
            check_in = free_from + timedelta(days=rng.randint(0, 2))
        nights = rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 7, 10, 14])
        check_out = check_in + timedelta(days=nights)
        result.append((check_in, check_out, "booking"))
        free_from = check_out
    return result


def booking_status(rng: random.Random, check_in: date, check_out: date, today: date) -> str:
    if check_out <= today:
        return "COMPLETED" if rng.random() < 0.85 else "CANCELLED"
    if check_in <= today:
        return "CONFIRMED"
    roll = rng.random()
    if roll < 0.60:
        return "CONFIRMED"
    if roll < 0.75:
        return "PENDING"
    if roll < 0.95:
        return "CANCELLED"
    return rng.choice(["DECLINED", "EXPIRED"])


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def generate(*, listings: int, bookings: int, seed: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from backend.demo_data import COMMENTS, listing_fields, person_name, pick_city
    from domains.properties.models import Amenity

    rng = random.Random(seed)
    today = date.today()
    now = datetime.now(utc)
    password = make_password("bench-Pass-2026")
    amenity_ids = list(Amenity.objects.values_list("id", flat=True))
    hosts = max(1, listings // 3)
    guests = max(1000, bookings // 10)
    started = time.monotonic()

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's, for COPY
        cursor.execute("SET LOCAL statement_timeout = 0")  # one COPY may take a while
        # Foreign keys checked as rows go in (Django's are deferred): the triggers can then be
        # switched on again before the commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The calendar triggers (migration 0005) would run once per row; the calendars are
        # computed once at the end instead.
        for table in ("bookings_booking", "properties_blockedperiod"):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        # --- users: hosts 1..hosts, guests after them
        user_columns = [
            "id", "password", "is_superuser", "email", "name", "is_host", "is_verified",
            "bio", "phone", "avatar", "is_active", "is_staff", "date_joined", "updated_at",
        ]  # fmt: skip

        def users():
            for pk in range(1, hosts + guests + 1):
                is_host = pk <= hosts
                joined = now - timedelta(days=rng.randint(1, 2000))
                yield (
                    pk, password, False, f"{'host' if is_host else 'guest'}{pk}@bench.example",
                    person_name(rng), is_host, True, "", "", "", True, False, joined, joined,
                )  # fmt: skip

        copy_rows(cursor, "users_user", user_columns, users())

        # --- listings, amenities, photos
        property_columns = [
            "id", "host_id", "title", "description", "property_type", "address", "city",
            "country", "latitude", "longitude", "price_per_night", "currency", "cleaning_fee",
            "max_guests", "bedrooms", "beds", "bathrooms", "instant_book",
            "cancellation_policy", "min_nights", "max_nights", "is_published", "review_count",
            "rating_histogram", "created_at", "updated_at",
        ]  # fmt: skip
        prices: dict[int, tuple[Decimal, Decimal, str]] = {}
        limits: dict[int, tuple[int, int]] = {}

        def properties():
            for pk in range(1, listings + 1):
                fields = listing_fields(rng, pick_city(rng))
                prices[pk] = (
                    fields["price_per_night"],
                    fields["cleaning_fee"],
                    fields["currency"],
                )
                limits[pk] = (fields["min_nights"], fields["max_nights"])
                created = now - timedelta(days=rng.randint(0, 1500), seconds=rng.randint(0, 86400))
                yield (
                    pk, rng.randint(1, hosts), *(fields[c] for c in property_columns[2:22]),
                    0, "[]", created, created,
                )  # fmt: skip

        copy_rows(cursor, "properties_property", property_columns, properties())

        def amenity_rows():
            for pk in range(1, listings + 1):
                for amenity_id in rng.sample(amenity_ids, rng.randint(4, 12)):
                    yield (pk, amenity_id)

        copy_rows(
            cursor, "properties_property_amenities", ["property_id", "amenity_id"], amenity_rows()
        )

        def photos():
            pk = 0
            for listing in range(1, listings + 1):
                for position in range(rng.randint(1, 5)):
                    pk += 1
                    yield (
                        pk, listing, f"bench/{listing}-{position}.jpg", 1200, 800,
                        f"View {position + 1}", position, now,
                    )  # fmt: skip

        copy_rows(
            cursor,
            "properties_propertyphoto",
            ["id", "property_id", "image", "width", "height", "caption", "position", "created_at"],
            photos(),
        )

        # --- bookings (spread around the average per listing), blocks, reviews
        per_listing = bookings / listings
        booking_columns = [
            "id", "guest_id", "property_id", "check_in", "check_out", "guests", "status",
            "nightly_rate", "nights", "subtotal", "cleaning_fee", "service_fee", "total",
            "currency", "message", "hold_expires_at", "cancellation_reason", "created_at",
            "updated_at",
        ]  # fmt: skip
        reviews: list[tuple] = []
        blocks: list[tuple] = []

        def booking_rows():
            pk = 0
            remaining = bookings
            for listing in range(1, listings + 1):
                left = listings - listing + 1
                # Popular listings have more bookings: a gamma spread around the average,
                # trimmed so the total comes out exactly.
                count = min(remaining, round(rng.gammavariate(2.0, per_listing / 2.0)))
                if left == 1:
                    count = remaining
                remaining -= count
                timeline = stays(rng, count, today)
                if rng.random() < 0.2:  # a host block after the last stay
                    start = (timeline[-1][1] if timeline else today) + timedelta(days=1)
                    start = max(start, today + timedelta(days=rng.randint(5, 90)))
                    blocks.append((listing, start, start + timedelta(days=rng.randint(3, 14))))
                rate, cleaning, currency = prices[listing]
                for check_in, check_out, _ in timeline:
                    pk += 1
                    nights = (check_out - check_in).days
                    subtotal = rate * nights
                    service = money((subtotal + cleaning) * SERVICE_FEE)
                    status = booking_status(rng, check_in, check_out, today)
                    made = datetime.combine(
                        check_in - timedelta(days=rng.randint(1, 90)), datetime.min.time(), utc
                    )
                    hold = now + timedelta(minutes=30) if status == "PENDING" else None
                    guest = hosts + rng.randint(1, guests)
                    yield (
                        pk, guest, listing, check_in, check_out, rng.randint(1, 4), status,
                        rate, nights, subtotal, cleaning, service, subtotal + cleaning + service,
                        currency, "", hold, "", made, made,
                    )  # fmt: skip
                    if status == "COMPLETED" and rng.random() < 0.5:
                        when = datetime.combine(check_out, datetime.min.time(), utc)
                        rating = rng.choices(RATINGS, RATING_WEIGHTS)[0]
                        reviews.append(
                            (pk, guest, listing, rating, rng.choice(COMMENTS), "", when, when)
                        )

        copy_rows(cursor, "bookings_booking", booking_columns, booking_rows())
        copy_rows(
            cursor,
            "properties_blockedperiod",
            ["property_id", "start_date", "end_date", "created_at"],
            ((listing, start, end, now) for listing, start, end in blocks),
        )
        review_columns = [
            "booking_id", "author_id", "property_id", "rating", "comment", "response",
            "created_at", "updated_at",
        ]  # fmt: skip
        copy_rows(cursor, "reviews_review", review_columns, reviews)
        # The denormalised aggregates the review services keep.
        cursor.execute(
            """
            UPDATE properties_property p SET review_count = r.n, rating_average = r.avg
            FROM (SELECT property_id, count(*) AS n, round(avg(rating), 2) AS avg
                  FROM reviews_review GROUP BY property_id) r
            WHERE r.property_id = p.id
            """
        )
        cursor.execute("SELECT properties_refresh_calendar(id) FROM properties_property")
        for table in ("bookings_booking", "properties_blockedperiod"):
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        for table in (
            "users_user", "properties_property", "properties_propertyphoto",
            "properties_property_amenities", "properties_blockedperiod", "bookings_booking",
            "reviews_review",
        ):  # fmt: skip
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 1))"
            )
    print(
        f"{hosts:,} hosts, {guests:,} guests, {listings:,} listings, {bookings:,} bookings, "
        f"{len(blocks):,} blocks, {len(reviews):,} reviews in {time.monotonic() - started:.0f} s"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true", help="empty the tables first")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database (created when missing).")
        return 2
    ensure_database(url)
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from domains.properties.models import Property

    if Property.objects.exists():
        if not args.reset:
            print("The database has listings already; pass --reset to replace them.")
            return 1
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE reviews_review, payments_payment, bookings_booking, "
                "properties_blockedperiod, properties_propertyphoto, "
                "properties_property_amenities, properties_property, gqlauth_userstatus, "
                "gqlauth_refreshtoken, users_user CASCADE"
            )
    with transaction.atomic():
        generate(listings=args.listings, bookings=args.bookings, seed=args.seed)
    # Outside the transaction: statistics for the planner, and a visibility map (the rating
    # update rewrote many rows) so index scans skip the dead versions.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        # The rating and calendar updates rewrote most listings: compact the table as a
        # long-lived one would be, then statistics and the visibility map for the planner.
        cursor.execute("VACUUM FULL properties_property")
        cursor.execute("VACUUM ANALYZE")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
