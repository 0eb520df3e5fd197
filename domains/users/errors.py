"""Failures of the account flows, each carrying its API error code (no GraphQL here)."""

from domains.shared.errors import DomainError, ErrorCode


class EmailTaken(DomainError):
    default_code = ErrorCode.EMAIL_TAKEN
    default_message = "An account with this e-mail address exists already."


class PasswordTooWeak(DomainError):
    default_code = ErrorCode.PASSWORD_TOO_WEAK
    default_message = "Choose a stronger password."


class InvalidCredentials(DomainError):
    default_code = ErrorCode.INVALID_CREDENTIALS
    # One message for an unknown address and a wrong password: nobody learns who has an account.
    default_message = "The e-mail address or the password is wrong."


class TokenInvalid(DomainError):
    default_code = ErrorCode.TOKEN_INVALID
    default_message = "This link or token is invalid or was used already."


class TokenExpired(DomainError):
    default_code = ErrorCode.TOKEN_EXPIRED
    default_message = "This link or token has expired."


class AlreadyVerified(DomainError):
    default_code = ErrorCode.ALREADY_VERIFIED
    default_message = "Your e-mail address is confirmed already."
