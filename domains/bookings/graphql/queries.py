"""bookingQuote: the price of a stay, with the checks of booking it, as a payload."""

from datetime import date

import strawberry

from domains.bookings import services
from domains.bookings.graphql.types import BookingPrice
from domains.shared.errors import DomainError
from schema.context import Info
from schema.errors import UserError, user_errors
from schema.mutations import errors_field, input_argument
from schema.relay import decode_id


@strawberry.input(description="A stay to price.")
class BookingQuoteInput:
    property_id: strawberry.ID = strawberry.field(description="The listing.")
    check_in: date = strawberry.field(description="First night (today or later).")
    check_out: date = strawberry.field(description="Departure day (exclusive).")
    guests: int = strawberry.field(description="Number of guests.")


@strawberry.type(description="The result of bookingQuote.")
class BookingQuotePayload:
    quote: BookingPrice | None = strawberry.field(
        default=None, description="The price, when the stay can be booked."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class BookingsQuery:
    @strawberry.field(
        description="The price of a stay and whether it can be booked (dates free, guests, "
        "minimum and maximum nights, ...). Anybody may ask; nothing is held."
    )
    def booking_quote(
        self, info: Info, input: input_argument(BookingQuoteInput, "The stay to price.")
    ) -> BookingQuotePayload:
        try:
            quote = services.booking_quote(
                viewer=info.context.viewer,
                property_id=decode_id(input.property_id, "Property"),
                check_in=input.check_in,
                check_out=input.check_out,
                guests=input.guests,
            )
        except DomainError as error:
            return BookingQuotePayload(errors=user_errors(error))
        return BookingQuotePayload(quote=BookingPrice.of(quote))
