"""POST /webhooks/stripe/: Stripe's signature, each event applied once, in any order, and
never a 5xx for what a client can send."""

import json
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from domains.bookings.models import BookingStatus
from domains.payments.models import Payment, PaymentStatus, ProviderEvent
from domains.shared.money import to_minor_units
from tests.domains.payments.stripe_events import envelope, intent_event, post, refund_event, sign
from tests.factories import BookingFactory, PaymentFactory, PropertyFactory

pytestmark = pytest.mark.django_db

SECRET = "whsec_test_secret_for_the_webhook_tests"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300


@pytest.fixture
def payment(db) -> Payment:
    booking = BookingFactory(property=PropertyFactory(instant_book=True))
    return PaymentFactory(booking=booking, provider="stripe")


def deliver(event, capture=None, **kwargs):
    if capture is None:
        return post(event, secret=SECRET, **kwargs)
    with capture(execute=True):
        return post(event, secret=SECRET, **kwargs)


def state(payment: Payment) -> tuple[str, Decimal, str]:
    payment.refresh_from_db()
    payment.booking.refresh_from_db()
    return payment.status, payment.refunded_amount, payment.booking.status


def test_a_signed_success_confirms_an_instant_booking(payment, django_capture_on_commit_callbacks):
    response = deliver(
        intent_event(payment, "payment_intent.succeeded"), django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert response.json() == {"received": True, "outcome": "applied"}
    assert state(payment) == (PaymentStatus.SUCCEEDED, Decimal("0"), BookingStatus.CONFIRMED)
    assert ProviderEvent.objects.get().payment == payment


def test_a_request_stays_pending_until_the_host_accepts(db):
    booking = BookingFactory(property=PropertyFactory(instant_book=False))
    payment = PaymentFactory(booking=booking)
    assert deliver(intent_event(payment, "payment_intent.succeeded")).status_code == 200
    assert state(payment) == (PaymentStatus.SUCCEEDED, Decimal("0"), BookingStatus.PENDING)


@pytest.mark.parametrize(
    "header",
    [
        None,  # missing
        "",
        "garbage",
        "t=abc,v1=00",
        "v1=00",
        "t=1700000000",
        "t=%(now)d,v1=" + "0" * 64,  # well-formed, wrong
        "t=%(now)d,v0=%(good)s",  # the right digest under a scheme nobody verifies
    ],
)
def test_bad_signatures_are_400_and_change_nothing(payment, header, caplog):
    event = intent_event(payment, "payment_intent.succeeded")
    body = json.dumps(event)
    now = int(time.time())
    if header is None:
        response = post(body, secret=SECRET, signature=False)
    else:
        good = sign(body, SECRET, now).split("v1=")[1]
        response = post(
            body,
            secret=SECRET,
            signature=header % {"now": now, "good": good} if "%(" in header else header or "",
        )
    assert response.status_code == 400
    assert state(payment)[0] == PaymentStatus.REQUIRES_PAYMENT
    assert not ProviderEvent.objects.exists()
    assert SECRET not in caplog.text and "v1=" not in caplog.text


def test_another_secret_or_a_tampered_body_is_400(payment):
    event = intent_event(payment, "payment_intent.succeeded")
    assert post(event, secret="whsec_someone_else").status_code == 400
    body = json.dumps(event)
    signature = sign(body, SECRET)
    tampered = body.replace('"amount": ', '"amount": 1')
    assert post(tampered, secret=SECRET, signature=signature).status_code == 400
    assert state(payment)[0] == PaymentStatus.REQUIRES_PAYMENT


def test_stale_signatures_are_refused(payment):
    event = intent_event(payment, "payment_intent.succeeded")
    old = int(time.time()) - 301
    assert deliver(event, timestamp=old).status_code == 400
    assert state(payment)[0] == PaymentStatus.REQUIRES_PAYMENT
    assert deliver(event, timestamp=int(time.time()) - 280).status_code == 200
    assert state(payment)[0] == PaymentStatus.SUCCEEDED


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "42",
        '"event"',
        "null",
        "{}",
        "not json",
        '{"id": "evt_1", "type": "payment_intent.succeeded"}',
        '{"id": "evt_1", "type": "x", "created": "yesterday", "data": {"object": {}}}',
        '{"id": 7, "type": "x", "created": 1, "data": {"object": {}}}',
        '{"id": "evt_1", "type": "x", "created": 1, "data": []}',
        '{"id": "evt_1", "type": "charge.refunded", "created": 1, "data": {"object": {}}}',
        '{"id": "evt_1", "type": "payment_intent.succeeded", "created": 1,'
        ' "data": {"object": {"id": "pi_1", "amount": "100", "currency": "eur"}}}',
    ],
)
def test_signed_bodies_that_are_not_events_are_400(db, body):
    response = post(body, secret=SECRET)
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()


def test_a_body_that_is_not_utf8_is_400(db):
    body = b'{"id": "\xff\xfe"}'
    response = Client().post(
        "/webhooks/stripe/",
        body,
        content_type="application/json",
        secure=True,
        headers={"Stripe-Signature": f"t={int(time.time())},v1=" + "0" * 64},
    )
    assert response.status_code == 400


def test_only_post(db):
    assert Client().get("/webhooks/stripe/", secure=True).status_code == 405


def test_an_unconfigured_secret_refuses_everything(payment, settings):
    event = intent_event(payment, "payment_intent.succeeded")
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert post(event, secret="").status_code == 503
    assert state(payment)[0] == PaymentStatus.REQUIRES_PAYMENT


def test_a_duplicate_is_acknowledged_and_applied_once(
    payment, django_capture_on_commit_callbacks, mailoutbox
):
    event = intent_event(payment, "payment_intent.succeeded")
    first = deliver(event, django_capture_on_commit_callbacks)
    again = deliver(event, django_capture_on_commit_callbacks)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["outcome"] == "duplicate"
    assert ProviderEvent.objects.count() == 1
    assert len(mailoutbox) == 2  # the confirmation, to the guest and the host, once


def test_unknown_payments_and_unhandled_types_change_nothing(payment):
    stranger = Payment(
        amount=payment.amount, currency=payment.currency, provider_reference="pi_unknown"
    )
    unknown = deliver(intent_event(stranger, "payment_intent.succeeded"))
    assert (unknown.status_code, unknown.json()["outcome"]) == (200, "unknown_payment")
    other = deliver(envelope("customer.created", {"id": "cus_1", "object": "customer"}))
    assert (other.status_code, other.json()["outcome"]) == (200, "ignored")
    assert state(payment)[0] == PaymentStatus.REQUIRES_PAYMENT
    assert ProviderEvent.objects.count() == 2


@pytest.mark.parametrize("changes", [{"amount": 1}, {"currency": "usd"}, {"currency": "xxx"}])
def test_an_event_for_another_amount_or_currency_is_not_applied(payment, changes):
    response = deliver(intent_event(payment, "payment_intent.succeeded", **changes))
    assert (response.status_code, response.json()["outcome"]) == (200, "amount_mismatch")
    assert state(payment)[0] == PaymentStatus.REQUIRES_PAYMENT
    refund = deliver(refund_event(payment, 100, amount=5))
    assert refund.json()["outcome"] == "amount_mismatch"


@pytest.mark.parametrize(
    "late",
    ["payment_intent.processing", "payment_intent.payment_failed", "payment_intent.canceled"],
)
def test_nothing_moves_a_received_payment_back(payment, late):
    now = int(time.time())
    deliver(intent_event(payment, "payment_intent.succeeded", created=now - 10))
    response = deliver(intent_event(payment, late, created=now))
    assert response.json()["outcome"] == "stale"
    assert state(payment)[0] == PaymentStatus.SUCCEEDED
    deliver(refund_event(payment, 500, created=now))
    deliver(intent_event(payment, late, created=now + 5))
    assert state(payment)[:2] == (PaymentStatus.PARTIALLY_REFUNDED, Decimal("5.00"))


def test_a_late_success_after_a_failure_still_applies(payment):
    now = int(time.time())
    deliver(intent_event(payment, "payment_intent.payment_failed", created=now))
    assert state(payment) == (PaymentStatus.FAILED, Decimal("0"), BookingStatus.PENDING)
    deliver(intent_event(payment, "payment_intent.succeeded", created=now - 60))
    assert state(payment) == (PaymentStatus.SUCCEEDED, Decimal("0"), BookingStatus.CONFIRMED)


def test_out_of_order_unpaid_statuses_keep_the_newest(payment):
    now = int(time.time())
    processing = intent_event(payment, "payment_intent.processing", created=now - 20)
    failed = intent_event(payment, "payment_intent.payment_failed", created=now - 10)
    retry = intent_event(payment, "payment_intent.processing", created=now)
    deliver(failed)
    assert deliver(processing).json()["outcome"] == "stale"
    assert state(payment)[0] == PaymentStatus.FAILED
    deliver(retry)  # the guest tried again
    assert state(payment)[0] == PaymentStatus.PROCESSING


def test_same_second_unpaid_statuses_only_move_forward(payment):
    now = int(time.time())
    deliver(intent_event(payment, "payment_intent.payment_failed", created=now))
    deliver(intent_event(payment, "payment_intent.processing", created=now))
    assert state(payment)[0] == PaymentStatus.FAILED


def test_refund_totals_only_grow(payment):
    deliver(intent_event(payment, "payment_intent.succeeded"))
    full = to_minor_units(payment.amount, payment.currency)
    half = full // 2
    deliver(refund_event(payment, full))
    assert deliver(refund_event(payment, half)).json()["outcome"] == "stale"
    assert state(payment)[:2] == (PaymentStatus.REFUNDED, payment.amount)
    too_much = deliver(refund_event(payment, full + 1))
    assert too_much.json()["outcome"] == "amount_mismatch"


def test_a_refund_before_its_success_means_the_payment_succeeded(payment):
    deliver(refund_event(payment, 1000))
    assert state(payment) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        Decimal("10.00"),
        BookingStatus.CONFIRMED,
    )
    assert deliver(intent_event(payment, "payment_intent.succeeded")).json()["outcome"] == "stale"
    assert state(payment)[0] == PaymentStatus.PARTIALLY_REFUNDED


@pytest.mark.django_db(transaction=True)
def test_concurrent_redeliveries_apply_once(on_postgres):
    booking = BookingFactory(property=PropertyFactory(instant_book=True))
    payment = PaymentFactory(booking=booking, provider="stripe")
    body = json.dumps(intent_event(payment, "payment_intent.succeeded"))
    signature = sign(body, SECRET)
    barrier = threading.Barrier(8)
    statuses: list = []

    def send() -> None:
        try:
            barrier.wait(timeout=30)
            statuses.append(post(body, secret=SECRET, signature=signature).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 8
    assert list(ProviderEvent.objects.values_list("outcome", flat=True)) == ["applied"]
    assert state(payment)[0] == PaymentStatus.SUCCEEDED


def test_the_openapi_document_describes_the_endpoint():
    from pathlib import Path

    import yaml

    import domains.payments

    document = yaml.safe_load((Path(domains.payments.__file__).parent / "openapi.yaml").read_text())
    operation = document["paths"]["/webhooks/stripe/"]["post"]
    assert set(operation["responses"]) == {"200", "400", "405", "503"}
    outcomes = document["components"]["schemas"]["Receipt"]["properties"]["outcome"]["enum"]
    assert set(outcomes) == {
        "applied",
        "duplicate",
        "stale",
        "ignored",
        "unknown_payment",
        "amount_mismatch",
    }
