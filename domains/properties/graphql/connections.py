"""Search results in two steps: the page's ids with the total, then the page's rows.

strawberry-django pages a QuerySet in one statement, `SELECT <card columns>, COUNT(*) OVER ()
... LIMIT n`, joined to the hosts: the database then reads every column of every match (and
joins every host) before it keeps twenty. Asking first for the ids and the total only, the
database answers "city + dates + guests" from one covering index (an index-only scan, see
migration 0005), whatever the number of matches; the second statement reads the twenty rows
by primary key with their hosts (the optimizer's shape of the query). Cursors are the same
offsets as everywhere else.
"""

from typing import Any

import strawberry
from django.db.models import Count, QuerySet, Window
from strawberry import relay
from strawberry.relay.utils import from_base64
from strawberry_django.optimizer import optimize
from strawberry_django.relay.utils import resolve_edge_class

from schema.context import Info
from schema.relay import Connection, check_page_arguments, remember_page


@strawberry.type(name="SearchConnection", description="A page of search results.")
class SearchConnection(Connection[relay.NodeType]):
    total: strawberry.Private[int | None] = None

    @strawberry.field(description="How many results there are in all pages.")
    def total_count(self) -> int | None:
        return self.total

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
        if not isinstance(nodes, QuerySet) or before is not None or last is not None:
            # Backwards paging: the generic way (one statement).
            if isinstance(nodes, QuerySet):
                nodes = optimize(nodes, info)
            connection = super().resolve_connection(
                nodes, info=info, before=before, after=after, first=first, last=last, **kwargs
            )
            edges = connection.edges
            total = getattr(edges[0].node, "_strawberry_total_count", None) if edges else None
            connection.total = total if total is not None else nodes.count()
            return connection
        first = check_page_arguments(first, last, after, before)
        offset = int(from_base64(after)[1]) + 1 if after else 0
        matches = (
            nodes.prefetch_related(None)
            .annotate(search_total=Window(Count(1)))
            .values_list("pk", "search_total")[offset : offset + first + 1]
        )
        rows = list(matches)
        # An empty page past the start still owes the total: one COUNT then.
        total = rows[0][1] if rows else (nodes.count() if offset else 0)
        page_ids = [pk for pk, _ in rows[:first]]
        # By primary key alone (the search's filters would lead the planner back to scanning
        # every match), shaped by the optimizer for the selected fields.
        page_rows = nodes.model._default_manager.filter(pk__in=page_ids).order_by()
        found = {obj.pk: obj for obj in optimize(page_rows, info)} if page_ids else {}
        page = [found[pk] for pk in page_ids if pk in found]
        edge_class = resolve_edge_class(cls)
        edges = [
            edge_class.resolve_edge(cls.resolve_node(node, info=info, **kwargs), cursor=offset + i)
            for i, node in enumerate(page)
        ]
        connection = cls(
            edges=edges,
            page_info=relay.PageInfo(
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
                has_previous_page=offset > 0,
                has_next_page=len(rows) > first,
            ),
        )
        connection.nodes = nodes
        connection.total = total
        remember_page(info, connection)
        return connection


class EmptyFirstPageIsEmpty:
    """A first page that comes back empty means an empty list: totalCount is 0 without the
    COUNT query the generic connection would run to find out."""

    @classmethod
    def resolve_connection(cls, nodes: Any, *, info: Info, **kwargs: Any) -> Any:
        connection = super().resolve_connection(nodes, info=info, **kwargs)
        first, last = kwargs.get("first"), kwargs.get("last")
        asked = first if first is not None else last
        from_an_end = kwargs.get("after") is None and kwargs.get("before") is None
        if not connection.edges and from_an_end and (asked is None or asked > 0):
            connection.nodes = []
        return connection
