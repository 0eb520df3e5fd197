"""The development checkout page of the `dev` provider: `/dev/checkout/?secret=<clientSecret>`.

A frontend in development sends the guest here with the client secret of `paymentCreate`
instead of to Stripe.js. Its buttons post the signed events Stripe would send to the webhook.
It exists only with DEBUG on and the `dev` provider (404 otherwise).
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from domains.payments import dev
from domains.payments.models import Payment


def dev_checkout(request: HttpRequest) -> HttpResponse:
    if not (settings.DEBUG and settings.PAYMENT_PROVIDER == "dev"):
        raise Http404
    secret = request.GET.get("secret", "")
    payment = (
        Payment.objects.select_related("booking__property")
        .filter(provider="dev", client_secret=secret)
        .first()
        if secret
        else None
    )
    result = None
    if request.method == "POST" and payment is not None:
        outcome = request.POST.get("outcome")
        if outcome not in ("succeeded", "failed", "processing"):
            return HttpResponse("Unknown outcome.", status=400)
        result = dev.deliver(dev.intent_event(payment, outcome))
        payment.refresh_from_db()
        payment.booking.refresh_from_db()
    return render(
        request,
        "payments/dev_checkout.html",
        {"payment": payment, "result": result},
        status=200 if payment else 404,
    )
