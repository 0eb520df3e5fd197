"""Declared access rules for fields: `extensions=[IsAuthenticated()]`, `[IsHost()]`, ...

They answer with the contract's top-level errors: `UNAUTHENTICATED` without a valid access
token, `FORBIDDEN` for an account that may not use the operation at all. Rules about one
object (owner, guest, host of a booking) live in the domains' selectors and services.
"""

from collections.abc import Callable
from typing import Any

from strawberry.extensions import FieldExtension

from schema.context import Info
from schema.errors import forbidden, unauthenticated


class ViewerRule(FieldExtension):
    """Runs `check(viewer)` before the resolver; subclasses say what the viewer needs."""

    def check(self, info: Info) -> None:
        raise NotImplementedError

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        self.check(info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        from asgiref.sync import sync_to_async

        await sync_to_async(self.check)(info)
        return await next_(source, info, **kwargs)


class IsAuthenticated(ViewerRule):
    """The viewer must be signed in (a valid, unexpired access token)."""

    def check(self, info: Info) -> None:
        if info.context.viewer is None:
            raise unauthenticated()


class IsVerified(IsAuthenticated):
    """The viewer must be signed in with a confirmed e-mail address."""

    def check(self, info: Info) -> None:
        super().check(info)
        if not info.context.viewer.is_verified:
            raise forbidden("Confirm your e-mail address first.")


class IsHost(IsAuthenticated):
    """The viewer must be signed in with a host account."""

    def check(self, info: Info) -> None:
        super().check(info)
        if not info.context.viewer.is_host:
            raise forbidden("Only hosts may do this. Become a host in your account settings.")


class IsStaff(IsAuthenticated):
    def check(self, info: Info) -> None:
        super().check(info)
        if not info.context.viewer.is_staff:
            raise forbidden()
