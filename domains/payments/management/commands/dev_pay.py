"""Complete (or fail) a payment of the `dev` provider, as a guest paying with a card would.

    manage.py dev_pay <booking id | global Booking id | pi_dev_...> [--fail | --processing]

It sends the provider's signed events to the webhook endpoint (in process, or to
DEV_PAYMENTS_WEBHOOK_URL), exactly the path Stripe's events take.
"""

from django.core.management.base import BaseCommand, CommandError

from domains.payments import dev
from domains.payments.models import Payment
from schema.relay import decode_id


def find_payment(ref: str) -> Payment | None:
    payments = Payment.objects.select_related("booking")
    if ref.startswith("pi_"):
        return payments.filter(provider_reference=ref).first()
    booking_id = int(ref) if ref.isdigit() else decode_id(ref, "Booking")
    return payments.filter(booking_id=booking_id).first() if booking_id else None


class Command(BaseCommand):
    help = "Complete or fail a dev-provider payment through the signed webhook."

    def add_arguments(self, parser):
        parser.add_argument("payment", help="booking id, global Booking ID, or pi_dev_... id")
        outcome = parser.add_mutually_exclusive_group()
        outcome.add_argument("--fail", action="store_true", help="decline the card")
        outcome.add_argument(
            "--processing", action="store_true", help="leave it processing (a slow method)"
        )

    def handle(self, *args, payment: str, fail: bool, processing: bool, **options):
        found = find_payment(payment)
        if found is None:
            raise CommandError(f"No payment for {payment!r}: create one with paymentCreate.")
        if found.provider != "dev":
            raise CommandError(f"Payment {found.pk} belongs to {found.provider}, not dev.")
        outcome = "failed" if fail else "processing" if processing else "succeeded"
        delivery = dev.deliver(dev.intent_event(found, outcome))
        if delivery.status >= 300:
            raise CommandError(f"The webhook answered {delivery.status}: {delivery.body}")
        found.refresh_from_db()
        found.booking.refresh_from_db()
        self.stdout.write(
            f"{found.provider_reference}: {outcome} -> payment {found.status}, "
            f"booking {found.booking.status} ({delivery.body})"
        )
