"""The traffic of a marketplace: mostly search and listing pages, some quotes, few bookings.

Written against the frontend contract's documents; it needs the listings and bookings
domains (run it on the merged code). Data: `bench/load/fixtures.py` (property_ids, cities,
guest_tokens; with few guest accounts every booking comes from the same few people, which is
fine for load but not for realism: generate more guests with the bench data generator).
"""

import uuid
from datetime import date, timedelta

from bench.load.scenario import Operation, bearer, contract

# Answers of bookingCreate that are business outcomes under load, not failures.
BOOKING_FAILURES = frozenset({"INVALID", "REQUIRED", "NOT_FOUND", "FORBIDDEN", "PAYMENT_ERROR"})


def stay(rng, *, days_ahead: int = 120, longest: int = 7) -> tuple[str, str]:
    check_in = date.today() + timedelta(days=rng.randint(1, days_ahead))
    return check_in.isoformat(), (check_in + timedelta(days=rng.randint(1, longest))).isoformat()


def search(rng, data):
    filter_ = {"city": rng.choice(data["cities"])}
    if rng.random() < 0.7:  # most searches have dates and guests
        check_in, check_out = stay(rng)
        filter_.update(checkIn=check_in, checkOut=check_out, guests=rng.randint(1, 3))
    return {"filter": filter_, "first": 20}


def detail(rng, data):
    return {"id": rng.choice(data["property_ids"]), "reviewsFirst": 5}


def availability(rng, data):
    start = date.today()
    return {
        "id": rng.choice(data["property_ids"]),
        "from": start.isoformat(),
        "to": (start + timedelta(days=60)).isoformat(),
    }


def quote(rng, data):
    check_in, check_out = stay(rng)
    return {
        "input": {
            "propertyId": rng.choice(data["property_ids"]),
            "checkIn": check_in,
            "checkOut": check_out,
            "guests": rng.randint(1, 2),
        }
    }


def reset_request(rng, data):
    # Known or not, every address makes a task (the worker decides whom to write to): the
    # mix's source of background work, which a broker outage must not lose.
    return {"input": {"email": f"member{rng.randint(1, 20_000)}@example.com"}}


def booking(rng, data):
    return {"input": {**quote(rng, data)["input"], "idempotencyKey": str(uuid.uuid4())}}


OPERATIONS = [
    Operation("PropertySearch", 50, contract("properties.graphql", "PropertySearch"), search),
    Operation("PropertyDetail", 30, contract("properties.graphql", "PropertyDetail"), detail),
    Operation(
        "PropertyAvailability", 8, contract("properties.graphql", "PropertyAvailability"),
        availability,
    ),
    Operation("BookingQuote", 9, contract("bookings.graphql", "BookingQuote"), quote),
    Operation(
        "BookingCreate", 3, contract("bookings.graphql", "BookingCreate"), booking,
        headers=bearer("guest_tokens"), failing_payload_codes=BOOKING_FAILURES,
    ),
    Operation(
        "PasswordResetRequest", 1, contract("accounts.graphql", "PasswordResetRequest"),
        reset_request, allowed_payload_codes=frozenset(),
    ),
]  # fmt: skip
