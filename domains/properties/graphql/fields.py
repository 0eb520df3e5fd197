"""`column()`: a field that is a model column read as it is.

strawberry-django runs every field through strawberry's full resolver path (an Info object,
argument parsing, the field-extension chain, its own getattr wrapper): about 5 µs a value, and
a search page resolves some 500 values. A column needs none of it: strawberry's "basic field"
path reads the attribute directly, while the optimizer still sees the column (`only()`) as for
any strawberry-django field. Measured on PropertySearch (20 cards): about 1.5 ms of CPU less a
request (bench/README.md).
"""

from typing import Any

import strawberry_django
from strawberry_django.fields.field import StrawberryDjangoField


class ColumnField(StrawberryDjangoField):
    @property
    def is_basic_field(self) -> bool:
        return (
            self.base_resolver is None
            and not self.extensions
            and not self.is_relation
            and not self.permission_classes
        )


def column(description: str, **kwargs: Any) -> Any:
    """A strawberry-django field of a plain column (no resolver, no relation). Decimal
    columns may be declared `float`: GraphQL's Float serialises a Decimal."""
    return strawberry_django.field(description=description, field_cls=ColumnField, **kwargs)
