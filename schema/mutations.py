"""The mutation payload convention: the changed object(s) and `errors: [UserError!]!`.

    @strawberry.type(description="...")
    class ThingDoPayload:
        thing: ThingType | None = strawberry.field(default=None, description="...")
        errors: list[UserError] = errors_field()

A mutation decodes IDs, calls one service, and on a DomainError returns
`ThingDoPayload(errors=user_errors(error))`.
"""

from typing import Annotated, Any

import strawberry

from schema.errors import UserError

ERRORS_DESCRIPTION = (
    "Expected failures (invalid input, business rules), each with a code; empty on success."
)


def errors_field() -> list[UserError]:
    return strawberry.field(default_factory=list, description=ERRORS_DESCRIPTION)


def input_argument(input_type: Any, description: str) -> Any:
    """The type of a mutation's one `input` argument, with its description."""
    return Annotated[input_type, strawberry.argument(description=description)]
