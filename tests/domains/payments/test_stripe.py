"""The Stripe provider against a local fake Stripe (localstripe), through the real `stripe`
client: PaymentIntents in minor units with idempotency keys, the guest paying with a test card,
the events Stripe generated posted (signed) to the webhook, refunds and cancellations."""

import json
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
import stripe
from django.utils import timezone

from domains.bookings import tasks as booking_tasks
from domains.bookings.models import BookingStatus
from domains.payments.models import Payment, PaymentStatus
from tests.domains.bookings.documents import CANCEL
from tests.domains.bookings.helpers import booking, gid
from tests.domains.payments.fake_stripe import LocalStripe, RecordingProxy
from tests.domains.payments.stripe_events import post
from tests.factories import BookingFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "whsec_localstripe_tests"
API_KEY = "sk_test_localstripe"


@pytest.fixture(scope="module")
def localstripe():
    server = LocalStripe()
    yield server
    server.stop()


@pytest.fixture
def api(localstripe, settings):
    """The backend talks to localstripe through a recording proxy."""
    proxy = RecordingProxy(localstripe.url)
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_API_BASE = proxy.url
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    yield proxy
    proxy.stop()


def stripe_js(localstripe) -> stripe.StripeClient:
    """What the guest's browser (Stripe.js) does, straight at the fake Stripe."""
    return stripe.StripeClient(API_KEY, base_addresses={"api": localstripe.url})


def raw(localstripe, path: str, **query) -> dict:
    """A resource as Stripe's JSON, the shape its webhooks carry."""
    url = f"{localstripe.url}{path}?{urllib.parse.urlencode(query)}"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {API_KEY}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def stripe_event(localstripe, event_type: str, reference: str) -> dict:
    events = raw(localstripe, "/v1/events", type=event_type)["data"]
    return next(e for e in events if e["data"]["object"]["id"] == reference)


def pay_with_card(localstripe, reference: str, number: str = "4242424242424242") -> None:
    client = stripe_js(localstripe)
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    client.v1.payment_intents.update(reference, params={"payment_method": method.id})
    client.v1.payment_intents.confirm(reference)


def start_payment(flow, guest, booking_id: str) -> Payment:
    flow.start_payment(guest, booking_id)
    return Payment.objects.get(booking_id=booking(booking_id).pk)


def deliver(flow, event: dict):
    with flow.capture(execute=True):
        response = post(event, secret=SECRET)
    assert response.status_code == 200, response.content
    return response.json()["outcome"]


def test_a_payment_intent_of_the_total_in_minor_units_with_an_idempotency_key(
    flow, api, localstripe
):
    guest = UserFactory()
    made = flow.book(guest, PropertyFactory(instant_book=True))  # 376.20 EUR
    payment = start_payment(flow, guest, made["id"])
    assert payment.provider == "stripe" and payment.provider_reference.startswith("pi_")
    [create] = api.posts("/v1/payment_intents")
    assert create["headers"]["Idempotency-Key"] == f"booking-{payment.booking_id}-payment"
    assert create["form"]["amount"] == ["37620"]
    assert create["form"]["currency"] == ["eur"]
    assert create["form"]["metadata[booking_id]"] == [str(payment.booking_id)]
    intent = raw(localstripe, f"/v1/payment_intents/{payment.provider_reference}")
    assert (intent["amount"], intent["currency"]) == (37620, "eur")
    assert payment.client_secret == intent["client_secret"]
    # asking again returns the same payment, without another PaymentIntent
    flow.start_payment(guest, made["id"])
    assert len(api.posts("/v1/payment_intents")) == 1


def test_zero_decimal_currencies_are_sent_in_whole_units(flow, api, localstripe):
    guest = UserFactory()
    listing = PropertyFactory(currency="JPY", price_per_night="12000", cleaning_fee="3000")
    made = flow.book(guest, listing, nights=2)  # 27000 + 14 % = 30780 JPY
    payment = start_payment(flow, guest, made["id"])
    assert api.posts("/v1/payment_intents")[0]["form"]["amount"] == ["30780"]
    assert raw(localstripe, f"/v1/payment_intents/{payment.provider_reference}")["amount"] == 30780


def test_card_payment_confirmation_and_a_refund_through_stripe(flow, api, localstripe):
    guest = UserFactory()
    listing = PropertyFactory(instant_book=True)
    made = flow.book(guest, listing)
    payment = start_payment(flow, guest, made["id"])
    pay_with_card(localstripe, payment.provider_reference)
    succeeded = stripe_event(localstripe, "payment_intent.succeeded", payment.provider_reference)
    assert deliver(flow, succeeded) == "applied"
    assert booking(made["id"]).status == BookingStatus.CONFIRMED
    # the host cancels: a full refund, asked of Stripe once
    result = flow.act(listing.host, CANCEL, "bookingCancel", {"id": made["id"]})
    assert result["errors"] == []
    [refund] = api.posts("/v1/refunds")
    assert refund["form"]["payment_intent"] == [payment.provider_reference]
    assert refund["form"]["amount"] == ["37620"]
    assert refund["headers"]["Idempotency-Key"] == f"refund-{payment.pk}-37620"
    payment.refresh_from_db()
    assert payment.refund_requested_amount == payment.amount
    assert payment.status == PaymentStatus.SUCCEEDED  # until Stripe confirms the refund
    # Stripe's charge.refunded, built from the charge as Stripe holds it now
    latest = succeeded["data"]["object"]["latest_charge"]  # localstripe expands it
    charge = raw(localstripe, f"/v1/charges/{latest['id'] if isinstance(latest, dict) else latest}")
    assert charge["amount_refunded"] == 37620
    event = {
        **succeeded,
        "id": "evt_refund_" + payment.provider_reference,
        "type": "charge.refunded",
        "data": {"object": charge},
    }
    assert deliver(flow, event) == "applied"
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (PaymentStatus.REFUNDED, payment.amount)


def test_a_declined_card_leaves_the_booking_pending(flow, api, localstripe):
    guest = UserFactory()
    made = flow.book(guest, PropertyFactory(instant_book=True))
    payment = start_payment(flow, guest, made["id"])
    with pytest.raises(stripe.CardError):
        pay_with_card(localstripe, payment.provider_reference, number="4000000000000341")
    failed = stripe_event(localstripe, "payment_intent.payment_failed", payment.provider_reference)
    assert deliver(flow, failed) == "applied"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert booking(made["id"]).status == BookingStatus.PENDING


def test_an_expired_booking_cancels_its_payment_intent(flow, api, localstripe):
    unpaid = BookingFactory(property=PropertyFactory(instant_book=True))
    payment = start_payment(flow, unpaid.guest, gid("Booking", unpaid.pk))
    unpaid.hold_expires_at = timezone.now() - timedelta(seconds=1)
    unpaid.save()
    with flow.capture(execute=True):
        assert booking_tasks.expire_holds.delay().get() == 1
    [cancel] = api.posts(f"/v1/payment_intents/{payment.provider_reference}/cancel")
    assert cancel["headers"]["Idempotency-Key"] == f"cancel-{payment.pk}"
    intent = raw(localstripe, f"/v1/payment_intents/{payment.provider_reference}")
    assert intent["status"] == "canceled"
