"""The signed tokens of the e-mail flows: address verification and password reset.

- Verification: gqlauth's signed, timestamped token (`get_token` / `get_payload_from_token`,
  action ACTIVATION), valid for ACCOUNT_VERIFY_TOKEN_LIFETIME.
- Password reset: Django's reset token (its hash covers the password hash and the last login,
  so it works once) plus the account id, in one opaque string; valid for PASSWORD_RESET_TIMEOUT.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from gqlauth.core.constants import TokenAction
from gqlauth.core.exceptions import TokenScopeError
from gqlauth.core.utils import get_payload_from_token, get_token

from domains.users.errors import TokenExpired, TokenInvalid
from domains.users.models import User, normalize_email

MAX_TOKEN_LENGTH = 512  # far above any token issued here; longer input is not worth decoding


def make_verification_token(user: User) -> str:
    return get_token(user, TokenAction.ACTIVATION)


def verification_token_email(token: str) -> str:
    """The e-mail address a verification token was issued for.

    Raises TokenExpired for a genuine token past its lifetime, TokenInvalid for anything else
    (tampered, truncated, or a token of another purpose)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenInvalid()
    try:
        payload = get_payload_from_token(
            token, TokenAction.ACTIVATION, settings.ACCOUNT_VERIFY_TOKEN_LIFETIME
        )
        email = payload[User.USERNAME_FIELD]
    except signing.SignatureExpired:
        raise TokenExpired()
    except (signing.BadSignature, TokenScopeError, KeyError, TypeError, AttributeError):
        raise TokenInvalid()
    if not isinstance(email, str):
        raise TokenInvalid()
    return normalize_email(email)


class ResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens (the same salt and algorithm as `default_token_generator`), which
    can also tell a genuine but expired token from a forged or used one."""

    def is_genuine(self, user: User, token: str) -> bool:
        """Whether `token` was issued for `user` in its current state, whatever its age."""
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


reset_tokens = ResetTokenGenerator()
SEPARATOR = "."


def make_password_reset_token(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{uid}{SEPARATOR}{reset_tokens.make_token(user)}"


def password_reset_token_user(token: str, *, for_update: bool = False) -> User:
    """The active account a password reset token is for (row-locked with `for_update`).

    Raises TokenExpired for a genuine token past its lifetime, TokenInvalid for anything else:
    malformed, tampered, used already (the password changed since), or an unknown account."""
    if not token or len(token) > MAX_TOKEN_LENGTH or SEPARATOR not in token:
        raise TokenInvalid()
    uid_b64, reset_token = token.split(SEPARATOR, 1)
    try:
        pk = int(urlsafe_base64_decode(uid_b64).decode())
    except (ValueError, UnicodeDecodeError):
        raise TokenInvalid()
    if not 0 < pk < 2**63:
        raise TokenInvalid()
    users = User.objects.filter(pk=pk, is_active=True)
    user = (users.select_for_update() if for_update else users).first()
    if user is None:
        raise TokenInvalid()
    if reset_tokens.check_token(user, reset_token):
        return user
    if reset_tokens.is_genuine(user, reset_token):
        raise TokenExpired()
    raise TokenInvalid()
