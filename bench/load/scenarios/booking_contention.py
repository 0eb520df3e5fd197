"""Many guests booking overlapping and non-overlapping dates of a few listings at once.

Every answer of bookingCreate must be a booking or DATES_UNAVAILABLE (anything else counts as
a failure); afterwards no two active bookings of a listing may overlap (the exclusion
constraint holds that on PostgreSQL; bench/README.md has the SQL that checks it).
Written against the contract; run it on the merged code. Data: `bench/load/fixtures.py`
(bookable_property_ids, guest_tokens; LISTINGS of them are used).
"""

import os
import uuid
from datetime import date, timedelta

from bench.load.scenario import Operation, bearer, contract

# A year of dates on 4 listings: requests collide often (the same nights of one listing), and
# the calendars fill within seconds, after which nearly every request is refused.
# CONTENTION_LISTINGS=64 spreads the same load so that most requests book. Serve with
# BOOKING_MAX_PENDING_PER_GUEST raised: a few guest accounts make all the bookings.
LISTINGS = int(os.environ.get("CONTENTION_LISTINGS", "4"))
WINDOW_DAYS = int(os.environ.get("CONTENTION_WINDOW_DAYS", "360"))


def booking(rng, data):
    check_in = date.today() + timedelta(days=rng.randint(1, WINDOW_DAYS))
    nights = rng.randint(1, 4)
    return {
        "input": {
            "propertyId": rng.choice(data["bookable_property_ids"][:LISTINGS]),
            "checkIn": check_in.isoformat(),
            "checkOut": (check_in + timedelta(days=nights)).isoformat(),
            "guests": 1,
            "idempotencyKey": str(uuid.uuid4()),
        }
    }


OPERATIONS = [
    Operation(
        "BookingCreate", 1, contract("bookings.graphql", "BookingCreate"), booking,
        headers=bearer("guest_tokens"), allowed_payload_codes=frozenset({"DATES_UNAVAILABLE"}),
    ),
]  # fmt: skip
