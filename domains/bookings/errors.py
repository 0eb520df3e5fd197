"""Why a stay cannot be quoted, booked, accepted, declined or cancelled."""

from domains.shared.errors import DomainError, ErrorCode


class DatesUnavailable(DomainError):
    default_code = ErrorCode.DATES_UNAVAILABLE
    default_message = "Some of these nights are already booked or blocked."


class TooManyGuests(DomainError):
    default_code = ErrorCode.TOO_MANY_GUESTS
    default_message = "The place does not sleep that many guests."


class MinNights(DomainError):
    default_code = ErrorCode.MIN_NIGHTS
    default_message = "The stay is shorter than the listing's minimum."


class MaxNights(DomainError):
    default_code = ErrorCode.MAX_NIGHTS
    default_message = "The stay is longer than the listing's maximum."


class OwnListing(DomainError):
    default_code = ErrorCode.OWN_LISTING
    default_message = "You cannot book your own listing."


class NotPublished(DomainError):
    default_code = ErrorCode.NOT_PUBLISHED
    default_message = "The listing is not published."


class TooManyPending(DomainError):
    default_code = ErrorCode.LIMIT_EXCEEDED
    default_message = "You have too many unpaid bookings. Pay or cancel one first."
