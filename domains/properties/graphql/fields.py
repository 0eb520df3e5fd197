"""Fields that are a model attribute read as it is: a column (`column()`) or an object joined
in by the optimizer (`joined()`, a forward foreign key).

strawberry-django runs every field through strawberry's full resolver path (an Info object,
argument parsing, the field-extension chain, its own getattr wrapper): about 5 µs a value, and
a search page resolves some 470 values. An attribute needs none of it: strawberry's "basic
field" path reads it directly, while the optimizer still sees the field as any
strawberry-django field (`only()` for a column, `select_related()` for a foreign key). Lists
keep the full path (their querysets go through the optimizer's hooks). Measured on
PropertySearch with 20 cards: about 2 ms of CPU less a request (bench/README.md).
"""

from typing import Any

import strawberry_django
from strawberry_django.fields.field import StrawberryDjangoField


class AttributeField(StrawberryDjangoField):
    @property
    def is_basic_field(self) -> bool:
        return (
            self.base_resolver is None
            and not self.extensions
            and not self.permission_classes
            and not self.is_list
        )


def column(description: str, **kwargs: Any) -> Any:
    """A plain column. Decimal columns may be declared `float`: GraphQL's Float serialises a
    Decimal."""
    return strawberry_django.field(description=description, field_cls=AttributeField, **kwargs)


def joined(description: str, **kwargs: Any) -> Any:
    """A forward foreign key (the optimizer joins it with select_related)."""
    return strawberry_django.field(description=description, field_cls=AttributeField, **kwargs)
