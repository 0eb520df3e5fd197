"""Stripe-shaped webhook events and Stripe's signature scheme, written independently of the
backend's dev provider so the webhook tests do not mirror its code."""

import hashlib
import hmac
import itertools
import json
import time

from django.test import Client

from domains.payments.models import Payment
from domains.shared.money import to_minor_units

_ids = itertools.count(1)

INTENT_STATUSES = {
    "payment_intent.processing": "processing",
    "payment_intent.succeeded": "succeeded",
    "payment_intent.payment_failed": "requires_payment_method",
    "payment_intent.canceled": "canceled",
}


def sign(body: str, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def intent_event(payment: Payment, event_type: str, *, created: int | None = None, **changes):
    obj = {
        "id": payment.provider_reference,
        "object": "payment_intent",
        "amount": to_minor_units(payment.amount, payment.currency),
        "currency": payment.currency.lower(),
        "status": INTENT_STATUSES[event_type],
        **changes,
    }
    return envelope(event_type, obj, created)


def refund_event(payment: Payment, amount_refunded: int, *, created: int | None = None, **changes):
    amount = to_minor_units(payment.amount, payment.currency)
    obj = {
        "id": "ch_" + payment.provider_reference,
        "object": "charge",
        "amount": amount,
        "amount_refunded": amount_refunded,
        "currency": payment.currency.lower(),
        "payment_intent": payment.provider_reference,
        "refunded": amount_refunded >= amount,
        **changes,
    }
    return envelope("charge.refunded", obj, created)


def envelope(event_type: str, obj: dict, created: int | None = None) -> dict:
    return {
        "id": f"evt_test_{next(_ids):06d}_{time.time_ns()}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()) if created is None else created,
        "type": event_type,
        "livemode": False,
        "data": {"object": obj},
    }


def post(
    event,
    *,
    secret: str,
    timestamp: int | None = None,
    signature: str | None = None,
    client: Client | None = None,
):
    body = event if isinstance(event, str | bytes) else json.dumps(event)
    text = body.decode(errors="replace") if isinstance(body, bytes) else body
    headers = {}
    if signature is not False:
        headers["Stripe-Signature"] = (
            signature if signature is not None else sign(text, secret, timestamp)
        )
    return (client or Client(enforce_csrf_checks=True)).post(
        "/webhooks/stripe/", body, content_type="application/json", secure=True, headers=headers
    )
