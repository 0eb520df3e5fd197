"""Reads of accounts, and the ownership rules other domains apply to their objects."""

from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from domains.users.models import User, normalize_email

# Set on an instance a mutation returns to the person who just proved to own the account
# (registration, sign-in, verification): its payload shows the private fields although the
# request carries no access token yet.
SHOWN_TO_OWNER = "_shown_to_owner"


def user_from_access_token(token: str | None) -> User | None:
    """The active user a valid, unexpired JWT access token names, else None."""
    if not token:
        return None
    from gqlauth.core.exceptions import TokenExpired
    from gqlauth.jwt.types_ import TokenType
    from jwt import PyJWTError

    try:
        user_id = int(TokenType.from_token(token).payload.id)
    except (PyJWTError, TokenExpired, ValueError, TypeError, KeyError, AttributeError):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def visible_users(*, viewer: User | None = None) -> QuerySet[User]:
    """Public profiles: every active account (private fields are hidden by the type)."""
    return User.objects.filter(is_active=True)


def show_private_fields(user: User) -> User:
    """Mark `user` as returned to its owner (see SHOWN_TO_OWNER)."""
    setattr(user, SHOWN_TO_OWNER, True)
    return user


def can_see_private_fields(*, viewer: User | None, user: User) -> bool:
    if getattr(user, SHOWN_TO_OWNER, False):
        return True
    return viewer is not None and (viewer.pk == user.pk or viewer.is_staff)


def users_by_email(email: str) -> QuerySet[User]:
    """Accounts with this address in any letter case (at most one: the database's unique
    index on LOWER(email) holds it, and serves this lookup)."""
    return User.objects.alias(email_lower=Lower("email")).filter(email_lower=normalize_email(email))


def email_taken(email: str) -> bool:
    """Whether an account, active or not, uses this address."""
    return users_by_email(email).exists()


def active_user_by_email(email: str) -> User | None:
    return users_by_email(email).filter(is_active=True).first()


def has_listings(user: User) -> bool:
    """Whether the host has listings that are not deleted (published or not)."""
    from domains.properties.models import Property

    return Property.objects.filter(host_id=user.pk, deleted_at__isnull=True).exists()


# --- ownership, for the other domains' services and selectors -----------------------------------


def is_owner(viewer: User | None, obj: Any, *, owner_field: str) -> bool:
    """Whether `viewer` owns `obj` through its foreign key `owner_field` (e.g. `host` of a
    listing, `guest` of a booking). Reads the key's id only: no query."""
    return viewer is not None and getattr(obj, f"{owner_field}_id") == viewer.pk


def owned_by(viewer: User | None, *, owner_field: str) -> Q:
    """The filter of the rows `viewer` owns through `owner_field` (none for anonymous)."""
    if viewer is None:
        return Q(pk__in=[])
    return Q(**{f"{owner_field}_id": viewer.pk})
