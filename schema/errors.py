"""The one error convention of the API.

- Expected failures (bad input, business rules) are data: payload `errors: [UserError!]!`, built
  from domain exceptions by `user_errors()`.
- Access failures and invalid query arguments are top-level GraphQL errors carrying
  `extensions.code` (`UNAUTHENTICATED`, `FORBIDDEN`, `BAD_USER_INPUT`).
"""

from collections.abc import Iterable

import strawberry
from graphql import GraphQLError
from strawberry.utils.str_converters import to_camel_case

from domains.shared.errors import DomainError, ErrorCode, ValidationFailed

ErrorCodeEnum = strawberry.enum(
    ErrorCode,
    name="ErrorCode",
    description="Every error code of the API, for payload errors and `extensions.code`.",
)
for _value in ErrorCodeEnum.__strawberry_definition__.values:
    _value.description = ErrorCode[_value.name].value


@strawberry.type(description="An expected failure of a mutation, returned as data.")
class UserError:
    field: str | None = strawberry.field(
        description="The camelCase input field at fault, or null when the error is not about one."
    )
    code: ErrorCodeEnum = strawberry.field(description="What went wrong, for programs.")
    message: str = strawberry.field(description="What went wrong, for people.")


def user_errors(error: DomainError) -> list[UserError]:
    """The payload errors for a domain exception (one per invalid field for ValidationFailed)."""
    errors: Iterable[DomainError] = error.errors if isinstance(error, ValidationFailed) else [error]
    return [
        UserError(
            field=to_camel_case(e.field) if e.field else None,
            code=e.code,
            message=e.message,
        )
        for e in errors
    ]


class ApiError(GraphQLError):
    """A top-level error with `extensions.code` (and `extensions.field` when one is at fault)."""

    def __init__(self, message: str, code: ErrorCode, field: str | None = None, **extra) -> None:
        extensions = {"code": code.name, **extra}
        if field:
            extensions["field"] = field
        super().__init__(message, extensions=extensions)


def unauthenticated() -> ApiError:
    return ApiError("You must be signed in to do this.", ErrorCode.UNAUTHENTICATED)


def forbidden(message: str = "Your account may not do this.") -> ApiError:
    return ApiError(message, ErrorCode.FORBIDDEN)


def bad_user_input(message: str, field: str | None = None) -> ApiError:
    return ApiError(message, ErrorCode.BAD_USER_INPUT, field=field)
