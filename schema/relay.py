"""Relay plumbing with the contract's answers to bad input.

- `node(id:)` / `nodes(ids:)`: a malformed, unknown or invisible ID gives `null` (stock
  strawberry raises on a malformed one).
- `Connection`: `first` defaults to 20 and is capped at 100; a negative `first`/`last` or a
  forged cursor is a top-level `BAD_USER_INPUT` error (stock strawberry answers plain errors).
- `decode_id`: the primary key behind a global ID of an expected type, for mutation inputs.
"""

import inspect
from collections import defaultdict
from typing import Annotated, Any

import strawberry
from django.db.models import QuerySet
from strawberry import relay
from strawberry.relay.utils import from_base64
from strawberry.types.base import StrawberryObjectDefinition
from strawberry_django.optimizer import optimizer
from strawberry_django.relay import DjangoListConnection

from schema.context import Info
from schema.errors import bad_user_input

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_PREFIX = "arrayconnection"


def parse_global_id(value: str) -> relay.GlobalID | None:
    try:
        gid = relay.GlobalID.from_id(value)
    except (ValueError, TypeError):
        return None
    return gid if gid.type_name and gid.node_id else None


def decode_id(value: str | None, type_name: str) -> int | None:
    """The integer primary key of a global ID of `type_name`, or None when it is not one."""
    gid = parse_global_id(value or "")
    if gid is None or gid.type_name != type_name:
        return None
    try:
        pk = int(gid.node_id)
    except ValueError:
        return None
    return pk if 0 < pk < 2**63 else None


def resolve_visible_nodes(queryset: QuerySet, info: Info, node_ids) -> list[Any]:
    """The objects with these ids among `queryset` (a selector's visible rows), in order,
    None where missing; shaped by the optimizer for the query's selection.

    Node types call this from `resolve_nodes`: visibility applies where a client names an
    object by ID. Objects reached through a relation of a visible object (the listing of one's
    booking, the host of a listing) follow that object."""
    ids = [str(node_id) for node_id in node_ids]
    queryset = queryset.filter(pk__in=ids)
    extension = optimizer.get()
    if extension is not None:
        queryset = extension.optimize(queryset, info=info)
    found = {str(obj.pk): obj for obj in queryset}
    return [found.get(node_id) for node_id in ids]


def _node_type(info: Info, type_name: str) -> type[relay.Node] | None:
    type_def = info.schema.get_type_by_name(type_name)
    if not isinstance(type_def, StrawberryObjectDefinition):
        return None
    origin = type_def.origin
    return origin if isinstance(origin, type) and issubclass(origin, relay.Node) else None


def _resolve_nodes(info: Info, ids: list[str]) -> list[Any]:
    """Resolve global IDs, one query per type; None where an ID is bad, unknown or hidden."""
    results: list[Any] = [None] * len(ids)
    wanted: dict[type[relay.Node], list[tuple[int, str]]] = defaultdict(list)
    for index, raw in enumerate(ids):
        gid = parse_global_id(raw)
        node_type = gid and _node_type(info, gid.type_name)
        if node_type is None or not gid.node_id.isdigit() or int(gid.node_id) >= 2**63:
            continue
        wanted[node_type].append((index, gid.node_id))
    for node_type, entries in wanted.items():
        found = node_type.resolve_nodes(
            info=info, node_ids=[node_id for _, node_id in entries], required=False
        )
        for (index, _), node in zip(entries, found, strict=True):
            results[index] = node
    return results


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="The object with this global ID, or null when there is none "
        "the viewer may see (malformed and unknown IDs included)."
    )
    def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> relay.Node | None:
        return _resolve_nodes(info, [id])[0]

    @strawberry.field(
        description="The objects with these global IDs, in order; null in the "
        "place of each one the viewer may not see."
    )
    def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global IDs, at most 100.")
        ],
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_PAGE_SIZE:
            raise bad_user_input(f"At most {MAX_PAGE_SIZE} IDs at a time.", field="ids")
        return _resolve_nodes(info, ids)


def _check_cursor(value: str | None, name: str) -> None:
    if value is None:
        return
    try:
        prefix, offset = from_base64(value)
        valid = prefix == CURSOR_PREFIX and offset.isdigit()
    except ValueError:
        valid = False
    if not valid:
        raise bad_user_input(f"`{name}` is not a cursor of this list.", field=name)


def check_page_arguments(
    first: int | None, last: int | None, after: str | None, before: str | None
) -> int | None:
    """Validate Relay page arguments; returns `first` with its default applied."""
    for name, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise bad_user_input(f"`{name}` must not be negative.", field=name)
        if value is not None and value > MAX_PAGE_SIZE:
            raise bad_user_input(f"`{name}` may be at most {MAX_PAGE_SIZE}.", field=name)
    _check_cursor(after, "after")
    _check_cursor(before, "before")
    if first is None and last is None:
        return DEFAULT_PAGE_SIZE
    return first


@strawberry.type(name="Connection", description="A page of a list, with Relay cursors.")
class Connection(DjangoListConnection[relay.NodeType]):
    @classmethod
    def resolve_connection(
        cls,
        nodes: Any,
        *,
        info: Info,
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        **kwargs: Any,
    ) -> Any:
        first = check_page_arguments(first, last, after, before)
        connection = super().resolve_connection(
            nodes, info=info, before=before, after=after, first=first, last=last, **kwargs
        )
        remember_page(info, connection)
        return connection


def remember_page(info: Info, connection: Any) -> None:
    """Register a page's objects, so that per-request loaders batch their keys at once (sync
    execution only: an async one batches with strawberry's own DataLoader)."""
    pages = getattr(info.context, "pages", None)
    if pages is not None and not inspect.isawaitable(connection):
        pages.remember(edge.node for edge in connection.edges)
