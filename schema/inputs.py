"""Reading mutation inputs: absent fields stay UNSET, an explicit null is None."""

from dataclasses import fields
from typing import Any

import strawberry


def provided(data: Any, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The input's fields the client sent (snake_case), explicit nulls included."""
    return {
        field.name: getattr(data, field.name)
        for field in fields(data)
        if field.name not in exclude and getattr(data, field.name) is not strawberry.UNSET
    }
