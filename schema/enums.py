"""GraphQL enums made from the models' choices, with each label as the value's description."""

from enum import Enum

import strawberry


def choices_enum(choices: type[Enum], *, name: str, description: str):
    """Expose a Django `TextChoices` class as a GraphQL enum named `name`."""
    enum_type = strawberry.enum(choices, name=name, description=description)
    for value in enum_type.__strawberry_definition__.values:
        value.description = str(choices[value.name].label)
    return enum_type
