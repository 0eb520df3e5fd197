"""The typed per-request context: the viewer (from the bearer token) and per-request loaders."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from strawberry.django.context import StrawberryDjangoContext
from strawberry.types import Info as StrawberryInfo

from domains.users import selectors as user_selectors
from schema.loaders import PageRegistry

if TYPE_CHECKING:
    from domains.users.models import User

T = TypeVar("T")

BEARER = "bearer "


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (the scheme in any case)."""
    if authorization and authorization[: len(BEARER)].lower() == BEARER:
        return authorization[len(BEARER) :].strip() or None
    return None


@dataclass
class Context(StrawberryDjangoContext):
    """What every resolver gets as `info.context`.

    `authorization` is the raw header (or the `authorization` connection param of a
    websocket). The viewer is resolved lazily, so anonymous reads cost no query.
    """

    authorization: str | None = None
    loaders: dict[Hashable, Any] = field(default_factory=dict)
    # The objects of each Relay page resolved so far: loaders batch a page's keys at once.
    pages: PageRegistry = field(default_factory=PageRegistry)

    @cached_property
    def user(self) -> User | AnonymousUser:
        user = user_selectors.user_from_access_token(bearer_token(self.authorization))
        if user is not None and self.request is not None:
            # Django's own machinery (admin log, permission helpers) sees the same viewer.
            self.request.user = user
        return user or AnonymousUser()

    @property
    def viewer(self) -> User | None:
        """The signed-in user, or None."""
        user = self.user
        return user if user.is_authenticated else None

    def loader(self, key: Hashable, factory: Callable[[Context], T]) -> T:
        """The request's loader for `key` (e.g. a field and its arguments), built by
        `factory(context)` on first use; never shared between requests, so nothing cached
        leaks from one viewer to another."""
        if key not in self.loaders:
            self.loaders[key] = factory(self)
        return self.loaders[key]


Info: TypeAlias = StrawberryInfo[Context, None]
