"""The API-wide error codes and the base of every domain exception.

Domains raise `DomainError`s; the GraphQL layer maps them to `UserError`s in one place
(`schema/errors.py`). Nothing here imports GraphQL.
"""

from enum import Enum


class ErrorCode(Enum):
    """Every code a client can see, in payload errors or in `extensions.code`. The value of each
    member is its description (the SDL shows it)."""

    INVALID = "The input is invalid; `field` names the input field at fault."
    REQUIRED = "A required input field is missing or empty."
    NOT_FOUND = "No such object, or one the viewer may not see."
    FORBIDDEN = "The viewer may see the object but not act on it this way."
    UNAUTHENTICATED = "The operation needs a signed-in user (a valid access token)."
    BAD_USER_INPUT = "An argument of a query is invalid (top-level errors only)."
    RATE_LIMITED = "Too many attempts; retry later."
    QUERY_TOO_COMPLEX = "The document exceeds a query limit (depth, aliases, tokens or cost)."
    # accounts
    EMAIL_TAKEN = "An account with this e-mail address exists already."
    PASSWORD_TOO_WEAK = "The password fails the password rules (length, commonness, ...)."
    INVALID_CREDENTIALS = "The e-mail address or the password is wrong."
    TOKEN_INVALID = "The token is malformed, tampered with, revoked or already used."
    TOKEN_EXPIRED = "The token has expired."
    ALREADY_VERIFIED = "The e-mail address is confirmed already."
    # listings
    INVALID_IMAGE = "The file is not an image of an accepted format."
    FILE_TOO_LARGE = "The file exceeds the size limit."
    LIMIT_EXCEEDED = "A count limit is reached (e.g. photos per listing)."
    HAS_ACTIVE_BOOKINGS = "The listing has upcoming active bookings."
    # bookings and payments
    DATES_UNAVAILABLE = "Some of the nights are booked or blocked."
    TOO_MANY_GUESTS = "More guests than the listing allows."
    MIN_NIGHTS = "The stay is shorter than the listing's minimum."
    MAX_NIGHTS = "The stay is longer than the listing's maximum."
    OWN_LISTING = "Hosts cannot book their own listing."
    NOT_PUBLISHED = "The listing is not published."
    INVALID_STATE = "The object's current state does not allow this."
    PAYMENT_ERROR = "The payment provider refused or failed the request."
    # reviews
    ALREADY_REVIEWED = "The stay has a review already."
    ALREADY_RESPONDED = "The review has a response already."
    REVIEW_WINDOW_CLOSED = "The time to review or respond is over."
    # protocol (top-level errors of the HTTP endpoint)
    BAD_REQUEST = "The request is malformed (e.g. a persisted query whose hash does not match)."
    REQUEST_TOO_LARGE = "The request body or upload exceeds the size limit."
    PERSISTED_QUERY_NOT_FOUND = "An automatic persisted query's hash is unknown: send its text."
    PERSISTED_QUERY_NOT_SUPPORTED = "Automatic persisted queries are turned off."
    QUERY_NOT_IN_SAFELIST = "Only registered operations are accepted and this one is not."
    INTERNAL_SERVER_ERROR = "An unexpected error; the server logged it under the request id."


class DomainError(Exception):
    """An expected failure of a business rule or of the input: the client gets it as data."""

    default_code: ErrorCode = ErrorCode.INVALID
    default_message = "The request is invalid."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: ErrorCode | None = None,
        field: str | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)


class ValidationFailed(DomainError):
    """One or more input fields are invalid; `errors` holds one DomainError per problem."""

    def __init__(self, errors: list[DomainError]) -> None:
        self.errors = errors
        super().__init__(errors[0].message, code=errors[0].code, field=errors[0].field)


class NotFound(DomainError):
    default_code = ErrorCode.NOT_FOUND
    default_message = "Not found."


class Forbidden(DomainError):
    default_code = ErrorCode.FORBIDDEN
    default_message = "You may not do that."


class InvalidState(DomainError):
    default_code = ErrorCode.INVALID_STATE
    default_message = "This cannot be done in the object's current state."


class RateLimited(DomainError):
    default_code = ErrorCode.RATE_LIMITED
    default_message = "Too many attempts. Try again later."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)
