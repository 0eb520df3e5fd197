"""reviewCreate and reviewRespond: decode the IDs, call the service, map its errors."""

import strawberry

from domains.bookings.graphql.types import BookingNode
from domains.reviews import services
from domains.reviews.graphql.types import ReviewNode
from domains.shared.errors import DomainError
from schema.context import Info
from schema.errors import UserError, user_errors
from schema.mutations import errors_field, input_argument
from schema.permissions import IsAuthenticated
from schema.relay import decode_id


@strawberry.input(description="A guest's review of a completed stay.")
class ReviewCreateInput:
    booking_id: strawberry.ID = strawberry.field(description="The completed booking reviewed.")
    rating: int = strawberry.field(description="Rating from 1 to 5.")
    comment: str = strawberry.field(description="What the stay was like (plain text).")


@strawberry.type(description="The result of reviewCreate.")
class ReviewCreatePayload:
    review: ReviewNode | None = strawberry.field(default=None, description="The new review.")
    booking: BookingNode | None = strawberry.field(
        default=None, description="The booking reviewed (its `canReview` is now false)."
    )
    errors: list[UserError] = errors_field()


@strawberry.input(description="The host's one response to a review of their listing.")
class ReviewRespondInput:
    review_id: strawberry.ID = strawberry.field(description="The review answered.")
    response: str = strawberry.field(description="The response (plain text).")


@strawberry.type(description="The result of reviewRespond.")
class ReviewRespondPayload:
    review: ReviewNode | None = strawberry.field(
        default=None, description="The review with its response."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class ReviewsMutation:
    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Review a completed stay (its guest only, once, within the review window).",
    )
    def review_create(
        self, info: Info, input: input_argument(ReviewCreateInput, "The review.")
    ) -> ReviewCreatePayload:
        try:
            review = services.review_create(
                author=info.context.viewer,
                booking_id=decode_id(input.booking_id, "Booking"),
                rating=input.rating,
                comment=input.comment,
            )
        except DomainError as error:
            return ReviewCreatePayload(errors=user_errors(error))
        return ReviewCreatePayload(review=review, booking=review.booking)

    @strawberry.mutation(
        extensions=[IsAuthenticated()],
        description="Respond to a review of one's listing (once, within the response window).",
    )
    def review_respond(
        self, info: Info, input: input_argument(ReviewRespondInput, "The response.")
    ) -> ReviewRespondPayload:
        try:
            review = services.review_respond(
                host=info.context.viewer,
                review_id=decode_id(input.review_id, "Review"),
                response=input.response,
            )
        except DomainError as error:
            return ReviewRespondPayload(errors=user_errors(error))
        return ReviewRespondPayload(review=review)
