"""Data for the load scenarios, read from the database the server under test uses.

    DATABASE_URL=... ACCESS_TOKEN_LIFETIME_SECONDS=3600 \\
        .venv/bin/python -m bench.load.fixtures --out bench/results/fixtures.json [--seed]

Writes global ids of published listings (`property_ids`; `bookable_property_ids`: a few
that take stays of 1 to 4 nights), their cities (`cities`), ids of
accounts (`user_ids`) and access tokens of all of them (`tokens`), of guests (`guest_tokens`)
and of hosts (`host_tokens`). Tokens
live ACCESS_TOKEN_LIFETIME_SECONDS (set it longer than the run). `--seed` loads the demo data
first when the database has no listing.
"""

import argparse
import json
import os
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="bench/results/fixtures.json")
    parser.add_argument("--limit", type=int, default=500, help="most ids of each kind")
    parser.add_argument("--tokens", type=int, default=50, help="tokens of each kind")
    parser.add_argument("--seed", action="store_true", help="load the demo data if empty")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from gqlauth.jwt.types_ import TokenType
    from strawberry.relay import to_base64

    from domains.properties.models import Property
    from domains.users.models import User

    if args.seed and not Property.objects.exists():
        call_command("seed_demo")
    listings = list(
        Property.objects.filter(is_published=True)
        .order_by("?")
        .values_list("pk", "city")[: args.limit]
    )
    # Listings any guest can book for 1 to 4 nights (the contention scenario's few listings).
    bookable = list(
        Property.objects.filter(is_published=True, deleted_at__isnull=True, min_nights=1,
                                max_nights__gte=4)
        .order_by("pk")
        .values_list("pk", flat=True)[:64]
    )  # fmt: skip
    guests = list(User.objects.filter(is_active=True, is_host=False).order_by("?")[: args.tokens])
    hosts = list(User.objects.filter(is_active=True, is_host=True).order_by("?")[: args.tokens])
    data = {
        "property_ids": [to_base64("Property", pk) for pk, _ in listings],
        "bookable_property_ids": [to_base64("Property", pk) for pk in bookable],
        "cities": sorted({city for _, city in listings}),
        "user_ids": [to_base64("User", user.pk) for user in [*guests, *hosts]],
        "tokens": [TokenType.from_user(user).token for user in [*guests, *hosts]],
        "guest_tokens": [TokenType.from_user(user).token for user in guests],
        "host_tokens": [TokenType.from_user(user).token for user in hosts],
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n")
    counts = {key: len(value) for key, value in data.items()}
    print(f"Wrote {out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
