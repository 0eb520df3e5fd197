"""Expected failures of listing writes and searches (mapped to GraphQL errors in one place)."""

from domains.shared.errors import DomainError, ErrorCode, Forbidden, NotFound


class PropertyNotFound(NotFound):
    default_message = "No such listing."


class PhotoNotFound(NotFound):
    default_message = "No such photo."


class NotListingHost(Forbidden):
    """The viewer may see the listing (it is published) but is not its host."""

    default_message = "Only the listing's host may change it."


class HasActiveBookings(DomainError):
    default_code = ErrorCode.HAS_ACTIVE_BOOKINGS
    default_message = "The listing has upcoming bookings; cancel them before deleting it."


class DatesUnavailable(DomainError):
    default_code = ErrorCode.DATES_UNAVAILABLE
    default_message = "Some of these nights are held by a booking."


class PhotoLimitReached(DomainError):
    default_code = ErrorCode.LIMIT_EXCEEDED


class InvalidSearch(DomainError):
    """An argument of a search or calendar query is invalid: a top-level BAD_USER_INPUT error
    naming the argument (`field`, snake_case; dotted for a nested one, e.g. `near.radius_km`)."""

    default_code = ErrorCode.BAD_USER_INPUT
