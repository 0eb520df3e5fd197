"""The Payment type."""

from datetime import datetime

import strawberry_django
from strawberry import relay

from domains.payments import selectors
from domains.payments.models import Payment, PaymentStatus
from schema.context import Info
from schema.enums import choices_enum
from schema.relay import resolve_visible_nodes
from schema.types import Money

PaymentStatusEnum = choices_enum(
    PaymentStatus,
    name="PaymentStatus",
    description="Where a payment stands, as the payment provider's webhook reported it.",
)


@strawberry_django.type(
    Payment,
    name="Payment",
    description="The payment of a booking through the payment provider. Visible to the "
    "booking's guest and host; the client secret to the guest only. Card data never reaches "
    "the backend.",
)
class PaymentNode(relay.Node):
    id: relay.NodeID[int]
    status: PaymentStatusEnum = strawberry_django.field(description="Where the payment stands.")
    provider: str = strawberry_django.field(
        description='Who takes the payment: "stripe", or "dev" in the embedded default.'
    )
    provider_reference: str | None = strawberry_django.field(
        description="The provider's id of the payment (a PaymentIntent id, `pi_...`)."
    )
    created_at: datetime = strawberry_django.field(description="When the payment was started.")

    @strawberry_django.field(
        only=["client_secret", "booking__guest_id"],
        select_related=["booking"],
        description="The secret the guest's client completes the payment with (Stripe.js "
        "`confirmPayment`, or the dev checkout); null for everybody else.",
    )
    def client_secret(self: Payment, info: Info) -> str | None:
        if not selectors.can_see_client_secret(payment=self, viewer=info.context.viewer):
            return None
        return self.client_secret or None

    @strawberry_django.field(
        only=["amount", "currency"], description="The amount paid: the booking's total."
    )
    def amount(self: Payment) -> Money:
        return Money(amount=self.amount, currency=self.currency)

    @strawberry_django.field(
        only=["refunded_amount", "currency"],
        description="How much the provider has refunded so far (confirmed refunds).",
    )
    def refunded_amount(self: Payment) -> Money:
        return Money(amount=self.refunded_amount, currency=self.currency)

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        visible = selectors.visible_payments(viewer=info.context.viewer)
        return resolve_visible_nodes(visible, info, node_ids)
