"""paymentCreate: start paying a booking with the configured provider."""

import strawberry

from domains.bookings.graphql.types import BookingNode
from domains.payments import services
from domains.payments.graphql.types import PaymentNode
from domains.shared.errors import DomainError
from schema.context import Info
from schema.errors import UserError, user_errors
from schema.mutations import errors_field, input_argument
from schema.permissions import IsAuthenticated
from schema.relay import decode_id


@strawberry.input(description="The booking to pay.")
class PaymentCreateInput:
    booking_id: strawberry.ID = strawberry.field(description="A PENDING booking of the viewer.")


@strawberry.type(description="The result of paymentCreate.")
class PaymentCreatePayload:
    payment: PaymentNode | None = strawberry.field(
        default=None,
        description="The payment: complete it with the provider using `clientSecret`.",
    )
    booking: BookingNode | None = strawberry.field(default=None, description="The booking paid.")
    errors: list[UserError] = errors_field()


@strawberry.type
class PaymentsMutation:
    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Start paying a PENDING booking (its guest): a payment of the booking's "
        "total with the provider, whose client secret the client completes the payment with. "
        "Calling it again while the payment is open returns the same payment. The provider's "
        "webhook reports the outcome.",
    )
    def payment_create(
        self, info: Info, input: input_argument(PaymentCreateInput, "The booking to pay for.")
    ) -> PaymentCreatePayload:
        try:
            payment = services.payment_create(
                guest=info.context.viewer, booking_id=decode_id(input.booking_id, "Booking")
            )
        except DomainError as error:
            return PaymentCreatePayload(errors=user_errors(error))
        return PaymentCreatePayload(payment=payment, booking=payment.booking)
