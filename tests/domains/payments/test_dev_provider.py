"""The dev provider of the embedded default completes payments through the same signed
webhook as Stripe: with `manage.py dev_pay` or the development checkout page."""

import json
import time

import pytest
import stripe
from django.core.management import CommandError, call_command
from django.test import Client

from domains.bookings.models import BookingStatus
from domains.payments import dev
from domains.payments.models import PaymentStatus, ProviderEvent
from tests.domains.bookings.helpers import gid
from tests.factories import BookingFactory, PaymentFactory, PropertyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment():
    return PaymentFactory(
        booking=BookingFactory(property=PropertyFactory(instant_book=True)),
        provider_reference="pi_dev_0123456789abcdef01234567",
    )


def run(capture, *args) -> None:
    with capture(execute=True):
        call_command("dev_pay", *args)


@pytest.mark.parametrize("ref", ["pk", "gid", "pi"])
def test_dev_pay_completes_a_payment_through_the_webhook(
    payment, django_capture_on_commit_callbacks, ref
):
    name = {
        "pk": str(payment.booking_id),
        "gid": gid("Booking", payment.booking_id),
        "pi": payment.provider_reference,
    }[ref]
    run(django_capture_on_commit_callbacks, name)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.booking.status == BookingStatus.CONFIRMED
    event = ProviderEvent.objects.get()
    assert event.event_id.startswith("evt_dev_") and event.outcome == "applied"


def test_dev_pay_can_fail_a_payment(payment, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, str(payment.booking_id), "--fail")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.booking.status == BookingStatus.PENDING


def test_dev_pay_refuses_what_it_cannot_pay(payment, django_capture_on_commit_callbacks):
    with pytest.raises(CommandError, match="No payment"):
        run(django_capture_on_commit_callbacks, "pi_dev_nope")
    payment.provider = "stripe"
    payment.save()
    with pytest.raises(CommandError, match="stripe"):
        run(django_capture_on_commit_callbacks, payment.provider_reference)


def test_dev_events_are_signed_like_stripe(payment):
    """Stripe's own library accepts the dev provider's signatures, and only with the secret."""
    body = json.dumps(dev.intent_event(payment, "succeeded"))
    header = dev.signature_header(body, secret="whsec_a", timestamp=int(time.time()))
    assert stripe.WebhookSignature.verify_header(body, header, "whsec_a", tolerance=300)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(body, header, "whsec_b", tolerance=300)


def test_dev_provider_refunds_are_confirmed_by_charge_refunded(flow, user):
    from tests.domains.bookings.documents import CANCEL

    listing = PropertyFactory(instant_book=True)
    made = flow.paid_booking(user, listing)
    flow.act(listing.host, CANCEL, "bookingCancel", {"id": made["id"]})
    assert list(ProviderEvent.objects.order_by("received_at").values_list("type", flat=True)) == [
        "payment_intent.succeeded",
        "charge.refunded",
    ]


def test_the_checkout_page_pays_in_debug_only(
    payment, settings, django_capture_on_commit_callbacks
):
    url = f"/dev/checkout/?secret={payment.client_secret}"
    settings.DEBUG = False
    assert Client().get(url, secure=True).status_code == 404
    settings.DEBUG = True
    client = Client(enforce_csrf_checks=False)
    page = client.get(url, secure=True)
    assert page.status_code == 200 and payment.provider_reference in page.content.decode()
    assert client.get("/dev/checkout/?secret=nope", secure=True).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(url, {"outcome": "succeeded"}, secure=True)
    assert paid.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.booking.status == BookingStatus.CONFIRMED
    settings.PAYMENT_PROVIDER = "stripe"
    assert client.get(url, secure=True).status_code == 404
