"""bookingCreate, bookingAccept, bookingDecline, bookingCancel: decode, call one service, map
its errors."""

from datetime import date

import strawberry

from domains.bookings import services
from domains.bookings.graphql.types import BookingNode
from domains.shared.errors import DomainError
from schema.context import Info
from schema.errors import UserError, user_errors
from schema.mutations import errors_field, input_argument
from schema.permissions import IsAuthenticated
from schema.relay import decode_id


@strawberry.input(description="A stay to book.")
class BookingCreateInput:
    property_id: strawberry.ID = strawberry.field(description="The listing.")
    check_in: date = strawberry.field(description="First night (today or later).")
    check_out: date = strawberry.field(description="Departure day (exclusive).")
    guests: int = strawberry.field(description="Number of guests.")
    message: str | None = strawberry.field(
        default=None, description="A message to the host (plain text, at most 2000 characters)."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A key the client makes per booking attempt (at most 64 characters): "
        "sending the same request again with it returns the booking it made.",
    )


@strawberry.input(description="The booking to cancel.")
class BookingCancelInput:
    id: strawberry.ID = strawberry.field(description="The booking.")
    reason: str | None = strawberry.field(
        default=None, description="Why (plain text, at most 1000 characters)."
    )


@strawberry.input(description="The request to accept.")
class BookingAcceptInput:
    id: strawberry.ID = strawberry.field(description="The booking request.")


@strawberry.input(description="The request to decline.")
class BookingDeclineInput:
    id: strawberry.ID = strawberry.field(description="The booking request.")
    reason: str | None = strawberry.field(
        default=None, description="Why (plain text, at most 1000 characters); the guest sees it."
    )


def _payload(name: str, verb: str) -> type:
    @strawberry.type(name=name, description=f"The result of {verb}.")
    class Payload:
        booking: BookingNode | None = strawberry.field(
            default=None, description="The booking, changed."
        )
        errors: list[UserError] = errors_field()

    return Payload


BookingCreatePayload = _payload("BookingCreatePayload", "bookingCreate")
BookingCancelPayload = _payload("BookingCancelPayload", "bookingCancel")
BookingAcceptPayload = _payload("BookingAcceptPayload", "bookingAccept")
BookingDeclinePayload = _payload("BookingDeclinePayload", "bookingDecline")


@strawberry.type
class BookingsMutation:
    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Book a stay at the price the server computes. The booking is PENDING and "
        "holds its dates until it is paid (paymentCreate) within the hold window; an "
        "instant-book listing's booking is then CONFIRMED, a request once the host accepts "
        "it as well.",
    )
    def booking_create(
        self, info: Info, input: input_argument(BookingCreateInput, "The stay to book.")
    ) -> BookingCreatePayload:
        try:
            booking = services.booking_create(
                guest=info.context.viewer,
                property_id=decode_id(input.property_id, "Property"),
                check_in=input.check_in,
                check_out=input.check_out,
                guests=input.guests,
                message=input.message,
                idempotency_key=input.idempotency_key,
            )
        except DomainError as error:
            return BookingCreatePayload(errors=user_errors(error))
        return BookingCreatePayload(booking=booking)

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Cancel a pending or confirmed booking before check-in (its guest or "
        "host). The dates are free at once. The host's cancellation is refunded in full; the "
        "guest's by the booking's cancellation policy (a full refund includes the service "
        "fee; a 50 % refund is half the subtotal and cleaning fee).",
    )
    def booking_cancel(
        self, info: Info, input: input_argument(BookingCancelInput, "The booking to cancel.")
    ) -> BookingCancelPayload:
        try:
            booking = services.booking_cancel(
                actor=info.context.viewer,
                booking_id=decode_id(input.id, "Booking"),
                reason=input.reason,
            )
        except DomainError as error:
            return BookingCancelPayload(errors=user_errors(error))
        return BookingCancelPayload(booking=booking)

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Accept a booking request (the listing's host). It is CONFIRMED once it "
        "is paid as well.",
    )
    def booking_accept(
        self, info: Info, input: input_argument(BookingAcceptInput, "The request to accept.")
    ) -> BookingAcceptPayload:
        try:
            booking = services.booking_accept(
                host=info.context.viewer, booking_id=decode_id(input.id, "Booking")
            )
        except DomainError as error:
            return BookingAcceptPayload(errors=user_errors(error))
        return BookingAcceptPayload(booking=booking)

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Decline a booking request (the listing's host): the dates are free at "
        "once and any payment is refunded in full.",
    )
    def booking_decline(
        self, info: Info, input: input_argument(BookingDeclineInput, "The request to decline.")
    ) -> BookingDeclinePayload:
        try:
            booking = services.booking_decline(
                host=info.context.viewer,
                booking_id=decode_id(input.id, "Booking"),
                reason=input.reason,
            )
        except DomainError as error:
            return BookingDeclinePayload(errors=user_errors(error))
        return BookingDeclinePayload(booking=booking)
