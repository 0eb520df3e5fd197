"""`POST /webhooks/stripe/`: the payment provider's events (Stripe's format and signature).

Documented in `domains/payments/openapi.yaml`. The signature is checked with the `stripe`
library against STRIPE_WEBHOOK_SECRET, with a tolerance of STRIPE_WEBHOOK_TOLERANCE_SECONDS.
The event is applied before the answer (a few queries, no network), so a 2xx means it is
stored; anything else makes the provider retry. Nothing secret is logged: neither the
signature nor the body.
"""

import json
import logging

import stripe
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from domains.payments.webhooks import MalformedEvent, parse_event, provider_event_apply

logger = logging.getLogger(__name__)


def _refuse(reason: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


@csrf_exempt  # the provider signs its requests; there is no browser session to protect
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        logger.error("STRIPE_WEBHOOK_SECRET is not set: webhook events cannot be verified")
        return _refuse("The endpoint is not configured.", status=503)
    signature = request.headers.get("Stripe-Signature")
    if not signature:
        return _refuse("Missing Stripe-Signature header.")
    payload = request.body
    try:
        stripe.Webhook.construct_event(
            payload, signature, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError:
        logger.warning("webhook refused: bad or stale signature")
        return _refuse("Invalid signature.")
    except Exception:
        # A signed body the library cannot read as an event (not UTF-8, not JSON, `[]`, `42`,
        # ...): the library raises ValueError, TypeError, AttributeError, KeyError and more.
        logger.warning("webhook refused: signed body is not an event")
        return _refuse("Not an event.")
    try:
        event = parse_event(json.loads(payload))
    except (ValueError, MalformedEvent):
        logger.warning("webhook refused: malformed event")
        return _refuse("Not an event.")
    outcome = provider_event_apply(event=event)
    return JsonResponse({"received": True, "outcome": outcome})
