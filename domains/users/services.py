"""Writes of accounts: registration, verification, sessions (JWT access + rotating refresh
tokens), passwords and the profile.

Sessions: an access token is a short-lived JWT (gqlauth, ACCESS_TOKEN_LIFETIME); a refresh
token is a random string stored as a gqlauth `RefreshToken` row (REFRESH_TOKEN_LIFETIME). Each
refresh revokes the token it used and issues a new pair; presenting a revoked token again is a
replay (a stolen copy, or the thief's use already rotated the owner's token), so every refresh
token of the account is revoked and everybody signs in again.

Enumeration: sign-in answers one error for an unknown address and a wrong password and hashes a
password either way; the e-mail requests (password reset, verification resend) always succeed
and the Celery task decides whether there is anybody to write to; registration hashes the
password before it looks the address up.
"""

import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass
from io import BytesIO
from math import ceil
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from gqlauth.jwt.types_ import TokenType
from gqlauth.models import RefreshToken
from PIL import Image, ImageOps

from domains.outbox import services as outbox
from domains.shared.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    InvalidState,
    RateLimited,
    ValidationFailed,
)
from domains.shared.images import validate_image
from domains.shared.models import validate
from domains.shared.ratelimit import Limit, hit_all
from domains.users import selectors, tasks
from domains.users.errors import (
    AlreadyVerified,
    EmailTaken,
    InvalidCredentials,
    PasswordTooWeak,
    TokenExpired,
    TokenInvalid,
)
from domains.users.models import User, normalize_email
from domains.users.tokens import password_reset_token_user, verification_token_email

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = 150
BIO_MAX_LENGTH = 2000
PHONE_PATTERN = re.compile(r"[0-9 +\-()]{6,32}")
PHONE_MIN_DIGITS = 5
REFRESH_TOKEN_MAX_LENGTH = 255  # the column's size


def _plausible_refresh_token(token: str | None) -> bool:
    """Refresh tokens are hex strings: anything else is not worth a query."""
    return (
        bool(token)
        and len(token) <= REFRESH_TOKEN_MAX_LENGTH
        and token.isascii()
        and token.isalnum()
    )


@dataclass(frozen=True)
class TokenPair:
    """A signed-in session: the JWT access token, the refresh token and their account."""

    access_token: str
    refresh_token: str
    user: User


# --- rate limits -----------------------------------------------------------------------------

# operation -> (per-IP setting, per-account setting); counts per RATE_LIMIT_WINDOW_SECONDS.
RATE_LIMITS = {
    "login": ("RATE_LIMIT_LOGIN_PER_IP", "RATE_LIMIT_LOGIN_PER_ACCOUNT"),
    "register": ("RATE_LIMIT_REGISTER_PER_IP", "RATE_LIMIT_REGISTER_PER_ACCOUNT"),
    "password_reset": ("RATE_LIMIT_PASSWORD_RESET_PER_IP", "RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT"),
    "verify_resend": ("RATE_LIMIT_PASSWORD_RESET_PER_IP", "RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT"),
    "verify": ("RATE_LIMIT_VERIFY_PER_IP", "RATE_LIMIT_VERIFY_PER_ACCOUNT"),
    "password_change": (None, "RATE_LIMIT_PASSWORD_CHANGE_PER_ACCOUNT"),
}


def _wait(seconds: int) -> str:
    if seconds >= 120:
        return f"{ceil(seconds / 60)} minutes"
    seconds = max(seconds, 1)
    return "1 second" if seconds == 1 else f"{seconds} seconds"


def rate_limit(operation: str, *, ip: str | None = None, account: str | None = None) -> None:
    """Count an attempt at `operation` from `ip` on `account`; raise RateLimited (with when to
    retry in the message) once either is over its limit in the current window."""
    ip_setting, account_setting = RATE_LIMITS[operation]
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    checks: list[tuple[Limit, str | None]] = []
    if ip_setting:
        checks.append((Limit(f"{operation}:ip", getattr(settings, ip_setting), window), ip))
    if account_setting:
        limit = Limit(f"{operation}:account", getattr(settings, account_setting), window)
        checks.append((limit, account))
    try:
        hit_all(checks)
    except RateLimited as error:
        raise RateLimited(
            error.retry_after,
            message=f"Too many attempts. Try again in {_wait(error.retry_after)}.",
        )


# --- input checks ----------------------------------------------------------------------------


def _email_error(email: str) -> DomainError | None:
    if not email:
        return DomainError("Enter your e-mail address.", code=ErrorCode.REQUIRED, field="email")
    try:
        validate_email(email)
    except ValidationError:
        return DomainError("Enter a valid e-mail address.", field="email")
    if len(email) > User._meta.get_field("email").max_length:
        return DomainError("The e-mail address is too long.", field="email")
    return None


def _has_control_characters(text: str, *, allowed: str = "") -> bool:
    """Control characters (NUL included, which PostgreSQL cannot store) other than `allowed`."""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def _name_error(name: str | None) -> DomainError | None:
    if not name:
        return DomainError("Enter your name.", code=ErrorCode.REQUIRED, field="name")
    if len(name) > NAME_MAX_LENGTH:
        return DomainError(f"Use at most {NAME_MAX_LENGTH} characters.", field="name")
    if _has_control_characters(name):
        return DomainError("The name contains characters that are not allowed.", field="name")
    return None


def _bio_error(bio: str) -> DomainError | None:
    if len(bio) > BIO_MAX_LENGTH:
        return DomainError(f"Use at most {BIO_MAX_LENGTH} characters.", field="bio")
    if _has_control_characters(bio, allowed="\n\r\t"):
        return DomainError("The text contains characters that are not allowed.", field="bio")
    return None


def _password_error(password: str, *, user: User, field: str) -> DomainError | None:
    """The password validators' verdict (AUTH_PASSWORD_VALIDATORS), with their messages."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return PasswordTooWeak(" ".join(error.messages), field=field)
    return None


def _phone_error(phone: str) -> DomainError | None:
    digits = sum(ch.isdigit() for ch in phone)
    if not PHONE_PATTERN.fullmatch(phone) or digits < PHONE_MIN_DIGITS:
        return DomainError(
            "Enter a phone number of 6 to 32 characters: digits, spaces, +, - and parentheses.",
            field="phone",
        )
    return None


def _raise_if(errors: list[DomainError | None]) -> None:
    found = [error for error in errors if error is not None]
    if found:
        raise ValidationFailed(found)


def _full_clean(user: User, *, exclude: list[str]) -> None:
    """Model validation as payload errors (the checks above should have caught everything)."""
    try:
        validate(user, exclude=exclude)
    except ValidationError as error:
        raise ValidationFailed(
            [
                DomainError(message, field=None if name == "__all__" else name)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        )


# --- sessions --------------------------------------------------------------------------------


def _issue_tokens(user: User) -> TokenPair:
    return TokenPair(
        access_token=TokenType.from_user(user).token,
        refresh_token=RefreshToken.from_user(user).token,
        user=user,
    )


# Ending sessions: a token that was rotated stays as a revoked row, so that presenting it again
# is recognised as a replay. A session ended on purpose (sign-out, password change) has its row
# deleted instead: a stale tab or device that presents it later gets TOKEN_INVALID and does not
# set off the replay alarm for the account's other sessions. Access tokens are not stored: they
# run out on their own within ACCESS_TOKEN_LIFETIME.


def refresh_tokens_revoke_all(*, user_id: int) -> int:
    """Revoke every active refresh token of an account (after a replay). Returns how many."""
    return RefreshToken.objects.filter(user_id=user_id, revoked__isnull=True).update(
        revoked=timezone.now()
    )


def refresh_tokens_end_all(*, user_id: int) -> int:
    """End every session of an account (password change or reset). Returns how many."""
    deleted, _ = RefreshToken.objects.filter(user_id=user_id, revoked__isnull=True).delete()
    return deleted


@transaction.atomic
def token_create(
    *, email: str, password: str, ip: str | None = None, request: HttpRequest | None = None
) -> TokenPair:
    """Sign in with e-mail and password: a new access token and refresh token."""
    email = normalize_email(email)
    rate_limit("login", ip=ip, account=email)
    if "\x00" in email:
        email = ""  # no account has it (and PostgreSQL cannot compare it); hashed as unknown
    # Django's ModelBackend hashes the password for an unknown address too (same timing), and
    # refuses inactive accounts only after checking the password.
    user = authenticate(request, email=email, password=password or "")
    if user is None:
        raise InvalidCredentials()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return _issue_tokens(selectors.show_private_fields(user))


def token_refresh(*, refresh_token: str) -> TokenPair:
    """Rotate a refresh token: revoke it and issue a new pair, atomically (the row is locked,
    so two refreshes with one token cannot both succeed).

    Not one atomic block like the other services: the replay case must commit the revocation
    of the account's sessions and still answer with an error."""
    if not _plausible_refresh_token(refresh_token):
        raise TokenInvalid()
    replayed_by: int | None = None
    with transaction.atomic():
        row = RefreshToken.objects.select_for_update().filter(token=refresh_token).first()
        if row is None:
            raise TokenInvalid()
        if row.revoked is not None:
            replayed_by = row.user_id
            refresh_tokens_revoke_all(user_id=row.user_id)
        elif row.is_expired_():
            raise TokenExpired("Your session has expired. Sign in again.")
        else:
            user = User.objects.filter(pk=row.user_id, is_active=True).first()
            if user is None:
                raise TokenInvalid()
            row.revoke()
            return _issue_tokens(user)
    logger.warning("Refresh token replayed; revoked every session of user %s", replayed_by)
    raise TokenInvalid("This session has ended. Sign in again.")


@transaction.atomic
def token_revoke(*, refresh_token: str) -> None:
    """Sign out: the refresh token stops working. Unknown and revoked tokens are accepted
    silently (as RFC 7009 does): signing out twice is not an error."""
    if _plausible_refresh_token(refresh_token):
        RefreshToken.objects.filter(token=refresh_token, revoked__isnull=True).delete()


def refresh_tokens_purge() -> int:
    """Delete refresh tokens past their lifetime (they can no longer be used, and a replay of
    one is refused as unknown). Returns how many rows went."""
    cutoff = timezone.now() - settings.REFRESH_TOKEN_LIFETIME
    deleted, _ = RefreshToken.objects.filter(created__lt=cutoff).delete()
    return deleted


# --- registration and verification -----------------------------------------------------------


@transaction.atomic
def account_register(
    *, email: str, password: str, name: str, is_host: bool = False, ip: str | None = None
) -> User:
    """Create an account (unverified; it may sign in and use the product at once) and send
    the verification e-mail after commit."""
    email = normalize_email(email)
    rate_limit("register", ip=ip, account=email)
    # Hashing first makes the answer take as long whether or not the address is taken.
    password_hash = make_password(password)
    user = User(email=email, name=(name or "").strip(), is_host=bool(is_host))
    email_error = _email_error(email)
    if email_error is None and selectors.email_taken(email):
        email_error = EmailTaken(field="email")
    _raise_if(
        [
            email_error,
            _name_error(user.name),
            _password_error(password, user=user, field="password"),
        ]
    )
    user.password = password_hash
    _full_clean(user, exclude=["password", "email"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A concurrent registration of the same address won the race; the unique index on
        # LOWER(email) refused this one.
        if selectors.email_taken(email):
            raise EmailTaken(field="email")
        raise
    outbox.enqueue(tasks.send_verification_email, user.pk)
    return selectors.show_private_fields(user)


@transaction.atomic
def account_verify(*, token: str, ip: str | None = None) -> User:
    """Confirm the e-mail address a verification token was sent to."""
    rate_limit("verify", ip=ip)
    email = verification_token_email(token)
    rate_limit("verify", account=email)
    user = selectors.users_by_email(email).filter(is_active=True).select_for_update().first()
    if user is None:
        raise TokenInvalid()
    if user.is_verified:
        raise AlreadyVerified()
    user.is_verified = True
    user.save(update_fields=["is_verified", "updated_at"])
    return selectors.show_private_fields(user)


@transaction.atomic
def account_verify_resend(*, email: str, ip: str | None = None) -> None:
    """Send a new verification e-mail, if the address belongs to an unverified account. The
    answer is the same either way."""
    email = normalize_email(email)
    _raise_if([_email_error(email)])
    rate_limit("verify_resend", ip=ip, account=email)
    outbox.enqueue(tasks.resend_verification_email, email)


# --- passwords -------------------------------------------------------------------------------


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> TokenPair:
    """Change the password of a signed-in account: every session ends, and this device gets a
    new pair of tokens."""
    rate_limit("password_change", account=str(user.pk))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password or ""):
        raise InvalidCredentials("The current password is wrong.", field="old_password")
    _raise_if([_password_error(new_password, user=user, field="new_password")])
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    refresh_tokens_end_all(user_id=user.pk)
    outbox.enqueue(tasks.send_password_changed_email, user.pk)
    return _issue_tokens(user)


@transaction.atomic
def password_reset_request(*, email: str, ip: str | None = None) -> None:
    """E-mail a password reset link, if the address belongs to an active account. The answer
    is the same either way; the task looks the account up."""
    email = normalize_email(email)
    _raise_if([_email_error(email)])
    rate_limit("password_reset", ip=ip, account=email)
    outbox.enqueue(tasks.send_password_reset_email, email)


@transaction.atomic
def password_reset(*, token: str, new_password: str) -> User:
    """Set a new password with a reset token (which then stops working: its hash covers the
    password). Every session ends; the address counts as confirmed (the link reached it)."""
    user = password_reset_token_user(token, for_update=True)
    _raise_if([_password_error(new_password, user=user, field="new_password")])
    user.set_password(new_password)
    user.is_verified = True
    user.save(update_fields=["password", "is_verified", "updated_at"])
    refresh_tokens_end_all(user_id=user.pk)
    outbox.enqueue(tasks.send_password_changed_email, user.pk)
    return user


# --- profile ---------------------------------------------------------------------------------

AVATAR_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}


def _avatar_content(upload: Any, extension: str) -> ContentFile:
    """The upload re-encoded: turned upright, at most AVATAR_MAX_DIMENSION pixels a side, and
    without metadata (EXIF, GPS position)."""
    size = (settings.AVATAR_MAX_DIMENSION, settings.AVATAR_MAX_DIMENSION)
    image_format = AVATAR_FORMATS[extension]
    upload.seek(0)
    with Image.open(upload) as source:
        source.draft("RGB", size)  # JPEG decodes at a reduced scale: far less work and memory
        image = ImageOps.exif_transpose(source)
        image.thumbnail(size)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = BytesIO()
        image.save(buffer, format=image_format)
    return ContentFile(buffer.getvalue())


@transaction.atomic
def account_update(*, user: User, changes: dict[str, Any]) -> User:
    """Update the profile. `changes` holds the fields the client sent: `name`, `bio`, `phone`,
    `is_host`, `avatar` (an upload); None clears `bio`, `phone` and `avatar`."""
    user = User.objects.select_for_update().get(pk=user.pk)
    errors: list[DomainError | None] = []
    fields: list[str] = []
    if "name" in changes:
        user.name = (changes["name"] or "").strip()
        errors.append(_name_error(user.name))
        fields.append("name")
    if "bio" in changes:
        user.bio = (changes["bio"] or "").strip()
        errors.append(_bio_error(user.bio))
        fields.append("bio")
    if "phone" in changes:
        user.phone = (changes["phone"] or "").strip()
        errors.append(_phone_error(user.phone) if user.phone else None)
        fields.append("phone")
    if "is_host" in changes:
        is_host = changes["is_host"]
        if is_host is None:
            errors.append(DomainError("Say true or false.", field="is_host"))
        elif user.is_host and not is_host and selectors.has_listings(user):
            errors.append(
                InvalidState("Delete your listings before you stop hosting.", field="is_host")
            )
        else:
            user.is_host = is_host
            fields.append("is_host")
    avatar = None
    if changes.get("avatar") is not None:
        try:
            extension = validate_image(
                changes["avatar"], max_bytes=settings.AVATAR_MAX_BYTES, field="avatar"
            )
            avatar = (extension, _avatar_content(changes["avatar"], extension))
        except DomainError as error:
            errors.append(error)
        except (OSError, ValueError, Image.DecompressionBombError):
            # Passed the checks but failed to decode in full (e.g. a corrupt frame).
            errors.append(
                DomainError(
                    "The file is not a valid image.", code=ErrorCode.INVALID_IMAGE, field="avatar"
                )
            )
    _raise_if(errors)

    old_avatar = user.avatar.name if user.avatar else None
    if "avatar" in changes:
        fields.append("avatar")
        if avatar is None:
            user.avatar = ""
        else:
            # A new name each time: caches and CDNs never serve the old picture.
            extension, content = avatar
            user.avatar.save(f"{uuid.uuid4().hex}.{extension}", content, save=False)
    new_avatar = user.avatar.name if user.avatar else None
    try:
        _full_clean(user, exclude=["password", "email"])
        user.save(update_fields=[*fields, "updated_at"])
    except Exception:
        if new_avatar and new_avatar != old_avatar:
            user.avatar.storage.delete(new_avatar)
        raise
    if old_avatar and old_avatar != new_avatar:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar), robust=True)
    return user


# --- ownership, for the other domains' services ----------------------------------------------


def ensure_owner(*, viewer: User | None, obj: Any, owner_field: str, message: str = "") -> None:
    """Raise Forbidden unless `viewer` owns `obj` through `owner_field` (for objects the viewer
    may see but only their owner may change; hide invisible ones as NotFound before)."""
    if not selectors.is_owner(viewer, obj, owner_field=owner_field):
        raise Forbidden(message or None)
