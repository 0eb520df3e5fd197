"""The `dev` provider's side of the webhook: Stripe-shaped events, signed the way Stripe signs
them (`t=<unix time>,v1=HMAC-SHA256(STRIPE_WEBHOOK_SECRET, "<t>.<body>")`) and delivered to
the same endpoint, `POST /webhooks/stripe/`: through the view in process, or over HTTP to
DEV_PAYMENTS_WEBHOOK_URL when it is set (e.g. to a separate `make run` server).

Used by `manage.py dev_pay`, the development checkout page and the dev provider's refunds and
cancellations. Never used with Stripe.
"""

import hashlib
import hmac
import json
import secrets
import time
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from domains.payments.models import Payment
from domains.shared.money import to_minor_units

API_VERSION = "2024-06-20"


@dataclass(frozen=True)
class Delivery:
    status: int
    body: str


def signature_header(payload: str, *, secret: str, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def intent_object(payment: Payment, status: str) -> dict:
    error = {"code": "card_declined", "message": "Your card was declined."}
    return {
        "id": payment.provider_reference,
        "object": "payment_intent",
        "amount": to_minor_units(payment.amount, payment.currency),
        "currency": payment.currency.lower(),
        "status": status,
        "metadata": {"booking_id": str(payment.booking_id)},
        "last_payment_error": error if status == "requires_payment_method" else None,
    }


def charge_object(payment: Payment, *, amount_refunded_minor: int) -> dict:
    amount = to_minor_units(payment.amount, payment.currency)
    return {
        "id": "ch_dev_" + payment.provider_reference.removeprefix("pi_dev_"),
        "object": "charge",
        "amount": amount,
        "amount_refunded": amount_refunded_minor,
        "currency": payment.currency.lower(),
        "payment_intent": payment.provider_reference,
        "refunded": amount_refunded_minor >= amount,
        "status": "succeeded",
    }


def event(event_type: str, obj: dict) -> dict:
    return {
        "id": "evt_dev_" + secrets.token_hex(12),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


INTENT_EVENTS = {
    "succeeded": ("payment_intent.succeeded", "succeeded"),
    "processing": ("payment_intent.processing", "processing"),
    "failed": ("payment_intent.payment_failed", "requires_payment_method"),
    "canceled": ("payment_intent.canceled", "canceled"),
}


def intent_event(payment: Payment, outcome: str) -> dict:
    event_type, status = INTENT_EVENTS[outcome]
    return event(event_type, intent_object(payment, status))


def deliver(data: dict) -> Delivery:
    """Sign an event and post it to the webhook endpoint, as the provider would."""
    payload = json.dumps(data)
    header = signature_header(
        payload, secret=settings.STRIPE_WEBHOOK_SECRET, timestamp=int(time.time())
    )
    url = settings.DEV_PAYMENTS_WEBHOOK_URL
    if url:
        request = urllib.request.Request(
            url,
            data=payload.encode(),
            headers={"Content-Type": "application/json", "Stripe-Signature": header},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Delivery(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Delivery(error.code, error.read().decode())
    from domains.payments.views import stripe_webhook

    request = RequestFactory().post(
        reverse("stripe-webhook"),
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )
    response = stripe_webhook(request)
    return Delivery(response.status_code, response.content.decode())
