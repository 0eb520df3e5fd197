"""Booking types: Booking, its price, and the BookingStatus enum."""

from datetime import date, datetime

import strawberry
import strawberry_django
from django.core.exceptions import ObjectDoesNotExist
from strawberry import relay

from domains.bookings import selectors, services
from domains.bookings.models import Booking, BookingStatus
from domains.bookings.pricing import PriceQuote
from domains.payments.graphql.types import PaymentNode
from domains.properties.graphql.types import CancellationPolicyEnum, PropertyNode
from domains.reviews.selectors import can_review
from domains.users.graphql.types import UserNode
from schema.context import Info
from schema.enums import choices_enum
from schema.relay import resolve_visible_nodes
from schema.types import Money, money

BookingStatusEnum = choices_enum(
    BookingStatus,
    name="BookingStatus",
    description="Where a booking stands. PENDING and CONFIRMED bookings hold their dates.",
)


@strawberry.type(
    description="The price of a stay, computed by the server: nights x nightly rate, the "
    "cleaning fee and the guest service fee, in the listing's currency."
)
class BookingPrice:
    nights: int = strawberry.field(description="Number of nights (check-out is exclusive).")
    nightly_rate: Money = strawberry.field(description="Price of one night.")
    subtotal: Money = strawberry.field(description="Nights x nightly rate.")
    cleaning_fee: Money = strawberry.field(description="Cleaning fee, once per stay.")
    service_fee: Money = strawberry.field(
        description="Guest service fee: a share of the subtotal and the cleaning fee."
    )
    total: Money = strawberry.field(description="What the guest pays.")

    @classmethod
    def of(cls, price: PriceQuote | Booking) -> "BookingPrice":
        def cash(amount) -> Money:
            return Money(amount=amount, currency=price.currency)

        return cls(
            nights=price.nights,
            nightly_rate=cash(price.nightly_rate),
            subtotal=cash(price.subtotal),
            cleaning_fee=cash(price.cleaning_fee),
            service_fee=cash(price.service_fee),
            total=cash(price.total),
        )


PRICE_FIELDS = [
    "nights",
    "nightly_rate",
    "subtotal",
    "cleaning_fee",
    "service_fee",
    "total",
    "currency",
]


def _has_review(booking: Booking) -> bool:
    try:
        return booking.review is not None
    except ObjectDoesNotExist:
        return False


@strawberry_django.type(
    Booking,
    name="Booking",
    description="A reservation of a listing for a stay. Visible to its guest, to the "
    "listing's host and to staff only.",
)
class BookingNode(relay.Node):
    id: relay.NodeID[int]
    status: BookingStatusEnum = strawberry_django.field(description="Where the booking stands.")
    check_in: date = strawberry_django.field(description="First night of the stay.")
    check_out: date = strawberry_django.field(
        description="Departure day (exclusive: not a night of the stay)."
    )
    nights: int = strawberry_django.field(description="Number of nights.")
    guests: int = strawberry_django.field(description="Number of guests.")
    message: str = strawberry_django.field(description="The guest's message to the host.")
    instant_book: bool = strawberry_django.field(
        description="Whether the booking is confirmed once paid (else the host must accept "
        "it as well), as the listing was when it was booked."
    )
    cancellation_policy: CancellationPolicyEnum = strawberry_django.field(
        description="The refund rules the guest agreed to when booking."
    )
    created_at: datetime = strawberry_django.field(description="When the booking was made.")
    hold_expires_at: datetime | None = strawberry_django.field(
        description="While PENDING: when the booking expires unless it is paid (and, for a "
        "request, accepted)."
    )
    accepted_at: datetime | None = strawberry_django.field(
        description="When the host accepted the request, if it was one."
    )
    confirmed_at: datetime | None = strawberry_django.field(
        description="When the booking became CONFIRMED."
    )
    cancelled_at: datetime | None = strawberry_django.field(
        description="When the booking was cancelled or declined."
    )
    property: PropertyNode = strawberry_django.field(description="The listing booked.")
    guest: UserNode = strawberry_django.field(description="Who stays.")
    payment: PaymentNode | None = strawberry_django.field(
        description="The payment, once the guest started paying."
    )

    @strawberry_django.field(only=PRICE_FIELDS, description="The price snapshot of the booking.")
    def price(self: Booking) -> BookingPrice:
        return BookingPrice.of(self)

    @strawberry_django.field(
        only=["cancellation_reason"],
        description="Why the booking was cancelled or declined, if a reason was given.",
    )
    def cancellation_reason(self: Booking) -> str | None:
        return self.cancellation_reason or None

    @strawberry_django.field(
        only=["refund_amount", "currency"],
        description="The refund owed after a cancellation, decline or expiry of a paid "
        "booking (the payment's `refundedAmount` shows what the provider has confirmed).",
    )
    def refund_amount(self: Booking) -> Money | None:
        return money(self.refund_amount, self.currency)

    @strawberry_django.field(
        only=["status", "check_in", "guest_id", "property__host_id"],
        select_related=["property"],
        description="Whether the viewer (the guest or the host) may cancel it now.",
    )
    def can_cancel(self: Booking, info: Info) -> bool:
        return services.can_cancel(booking=self, viewer=info.context.viewer)

    @strawberry_django.field(
        only=["status", "check_out", "guest_id", "review__id"],
        select_related=["review"],
        description="Whether the viewer (the guest) may review the stay now.",
    )
    def can_review(self: Booking, info: Info) -> bool:
        return can_review(booking=self, viewer=info.context.viewer, has_review=_has_review(self))

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        visible = selectors.visible_bookings(viewer=info.context.viewer)
        return resolve_visible_nodes(visible, info, node_ids)
