"""Helpers of the booking and payment tests: global IDs, stays, and the dev provider's events."""

from datetime import date, timedelta

from strawberry.relay import from_base64, to_base64

from domains.bookings.models import Booking
from domains.payments import dev
from domains.payments.models import Payment
from tests.conftest import GraphQLClient
from tests.domains.bookings.documents import CREATE, PAY


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
    return int(from_base64(global_id)[1])


def booking(global_id: str) -> Booking:
    return Booking.objects.get(pk=pk_of(global_id))


def pay(payment: Payment, outcome: str = "succeeded") -> dev.Delivery:
    """Complete a dev-provider payment the way `manage.py dev_pay` does."""
    delivery = dev.deliver(dev.intent_event(payment, outcome))
    assert delivery.status == 200, delivery.body
    return delivery


class Flow:
    """Drives bookings the way the clients and the payment provider do, running what the
    services schedule after the commit (tasks, e-mails, live updates) as a real commit would."""

    def __init__(self, capture) -> None:
        self.capture = capture

    def gql(self, user, document: str, variables: dict) -> dict:
        client = GraphQLClient()
        if user is not None:
            client.login(user)
        with self.capture(execute=True):
            body = client(document, variables)
        assert "errors" not in body, body
        return body["data"]

    def book(self, guest, listing, **kwargs) -> dict:
        result = self.gql(guest, CREATE, {"input": booking_input(listing, **kwargs)})
        result = result["bookingCreate"]
        assert result["errors"] == [], result["errors"]
        return result["booking"]

    def start_payment(self, guest, booking_id: str) -> dict:
        result = self.gql(guest, PAY, {"input": {"bookingId": booking_id}})["paymentCreate"]
        assert result["errors"] == [], result["errors"]
        return result["payment"]

    def provider(self, payment_or_booking_id, outcome: str = "succeeded") -> dev.Delivery:
        """The guest completes (or fails) the payment with the dev provider."""
        if isinstance(payment_or_booking_id, str):
            payment = Payment.objects.get(booking_id=pk_of(payment_or_booking_id))
        else:
            payment = payment_or_booking_id
        with self.capture(execute=True):
            return pay(payment, outcome)

    def paid_booking(self, guest, listing, **kwargs) -> dict:
        made = self.book(guest, listing, **kwargs)
        self.start_payment(guest, made["id"])
        self.provider(made["id"])
        return made

    def act(self, user, document: str, name: str, variables: dict) -> dict:
        return self.gql(user, document, {"input": variables})[name]
