"""Why a payment cannot be made."""

from domains.shared.errors import InvalidState


class AlreadyPaid(InvalidState):
    default_message = "This booking is paid already."


class NotPayable(InvalidState):
    default_message = "This booking can no longer be paid."


class HoldExpired(InvalidState):
    default_message = "The hold on these dates has expired. Book again."
