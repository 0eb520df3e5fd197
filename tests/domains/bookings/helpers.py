"""Helpers of the booking and payment tests: global IDs, stays, and the dev provider's events."""

from datetime import date, timedelta

from strawberry.relay import to_base64

from domains.bookings.models import Booking
from domains.payments import dev
from domains.payments.models import Payment


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


def stay(days_ahead: int = 30, nights: int = 3) -> tuple[str, str]:
    check_in = date.today() + timedelta(days=days_ahead)
    return check_in.isoformat(), (check_in + timedelta(days=nights)).isoformat()


def booking_input(listing, days_ahead: int = 30, nights: int = 3, guests: int = 2, **extra):
    check_in, check_out = stay(days_ahead, nights)
    return {
        "propertyId": gid("Property", listing.pk),
        "checkIn": check_in,
        "checkOut": check_out,
        "guests": guests,
        **extra,
    }


def pk_of(global_id: str) -> int:
    from strawberry.relay import from_base64

    return int(from_base64(global_id)[1])


def booking(global_id: str) -> Booking:
    return Booking.objects.get(pk=pk_of(global_id))


def pay(payment: Payment, outcome: str = "succeeded") -> dev.Delivery:
    """Complete a dev-provider payment the way `manage.py dev_pay` does."""
    delivery = dev.deliver(dev.intent_event(payment, outcome))
    assert delivery.status == 200, delivery.body
    return delivery
