"""paymentCreate: the guest gets the provider's client secret for the booking's total; card
data never reaches the backend."""

from datetime import timedelta

import pytest
from django.utils import timezone

from domains.bookings.models import BookingStatus
from domains.payments.models import Payment, PaymentStatus
from tests.domains.bookings.documents import PAY
from tests.domains.bookings.helpers import gid
from tests.factories import BookingFactory, PaymentFactory, UserFactory

pytestmark = pytest.mark.django_db


def pay(gql, booking_id: str) -> dict:
    body = gql(PAY, {"input": {"bookingId": booking_id}})
    assert "errors" not in body, body
    return body["data"]["paymentCreate"]


def codes(result) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in result["errors"]]


def test_the_guest_gets_a_dev_payment_of_the_total(gql, settings):
    settings.PAYMENT_PROVIDER = "dev"
    booking = BookingFactory()
    result = pay(gql.login(booking.guest), gid("Booking", booking.pk))
    assert result["errors"] == []
    payment = result["payment"]
    assert payment["status"] == "REQUIRES_PAYMENT"
    assert payment["provider"] == "dev"
    assert payment["providerReference"].startswith("pi_dev_")
    assert payment["clientSecret"].startswith(payment["providerReference"] + "_secret_")
    assert payment["amount"] == {"amount": str(booking.total), "currency": booking.currency}
    assert result["booking"] == {
        "id": gid("Booking", booking.pk),
        "status": "PENDING",
        "canCancel": True,
        "payment": {"id": payment["id"], "status": "REQUIRES_PAYMENT"},
    }
    stored = Payment.objects.get(booking=booking)
    assert (stored.amount, stored.currency) == (booking.total, booking.currency)


def test_calling_again_returns_the_same_open_payment(gql):
    booking = BookingFactory()
    first = pay(gql.login(booking.guest), gid("Booking", booking.pk))["payment"]
    again = pay(gql, gid("Booking", booking.pk))["payment"]
    assert again == first
    Payment.objects.filter(booking=booking).update(status=PaymentStatus.FAILED)
    assert pay(gql, gid("Booking", booking.pk))["payment"]["id"] == first["id"]
    assert Payment.objects.filter(booking=booking).count() == 1


def test_who_may_pay(gql):
    booking = BookingFactory()
    booking_id = gid("Booking", booking.pk)
    assert codes(pay(gql.login(booking.property.host), booking_id)) == [("bookingId", "FORBIDDEN")]
    assert codes(pay(gql.login(UserFactory()), booking_id)) == [("bookingId", "NOT_FOUND")]
    assert codes(pay(gql, "not-an-id")) == [("bookingId", "NOT_FOUND")]
    assert codes(pay(gql, gid("Property", booking.property.pk))) == [("bookingId", "NOT_FOUND")]
    body = type(gql)()(PAY, {"input": {"bookingId": booking_id}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not Payment.objects.exists()


@pytest.mark.parametrize("status", [BookingStatus.CANCELLED, BookingStatus.EXPIRED])
def test_an_ended_booking_cannot_be_paid(gql, status):
    booking = BookingFactory(status=status)
    result = pay(gql.login(booking.guest), gid("Booking", booking.pk))
    assert codes(result) == [("bookingId", "INVALID_STATE")]


def test_a_paid_booking_cannot_be_paid_again(gql):
    payment = PaymentFactory(status=PaymentStatus.SUCCEEDED)
    result = pay(gql.login(payment.booking.guest), gid("Booking", payment.booking.pk))
    assert codes(result) == [("bookingId", "INVALID_STATE")]


def test_a_hold_that_ran_out_cannot_be_paid(gql):
    booking = BookingFactory(hold_expires_at=timezone.now() - timedelta(seconds=1))
    result = pay(gql.login(booking.guest), gid("Booking", booking.pk))
    assert codes(result) == [("bookingId", "INVALID_STATE")]


def test_an_unreachable_provider_is_a_payment_error_and_stores_nothing(gql, settings):
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    booking = BookingFactory()
    result = pay(gql.login(booking.guest), gid("Booking", booking.pk))
    assert codes(result) == [(None, "PAYMENT_ERROR")]
    assert not Payment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_make_one_payment(on_postgres, settings):
    import threading

    from django.db import connection

    from tests.conftest import GraphQLClient

    booking = BookingFactory()
    barrier = threading.Barrier(6)
    references: list = []

    def call() -> None:
        try:
            barrier.wait(timeout=30)
            client = GraphQLClient().login(booking.guest)
            references.append(pay(client, gid("Booking", booking.pk))["payment"]["id"])
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(references) == 6 and len(set(references)) == 1
    assert Payment.objects.filter(booking=booking).count() == 1
