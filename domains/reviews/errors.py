"""Why a review or a response is refused."""

from domains.shared.errors import DomainError, ErrorCode


class StayNotOver(DomainError):
    default_code = ErrorCode.INVALID_STATE
    default_message = "You can review a stay once it is completed."


class ReviewWindowClosed(DomainError):
    default_code = ErrorCode.REVIEW_WINDOW_CLOSED
    default_message = "The time to review this stay is over."


class ResponseWindowClosed(DomainError):
    default_code = ErrorCode.REVIEW_WINDOW_CLOSED
    default_message = "The time to respond to this review is over."


class AlreadyReviewed(DomainError):
    default_code = ErrorCode.ALREADY_REVIEWED
    default_message = "This stay has a review already."


class AlreadyResponded(DomainError):
    default_code = ErrorCode.ALREADY_RESPONDED
    default_message = "This review has a response already."
