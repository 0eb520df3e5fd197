"""Reads of accounts."""

from django.db.models import QuerySet

from domains.users.models import User


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


def can_see_private_fields(*, viewer: User | None, user: User) -> bool:
    return viewer is not None and (viewer.pk == user.pk or viewer.is_staff)
