"""One log record per GraphQL operation: name, type, duration, SQL queries, cost and errors.

Logger `graphql.operation`, level INFO, with the fields as record attributes (so the JSON log
has them as keys). With `GRAPHQL_METRICS_IN_RESPONSE` on (load tests), the same figures are
also returned in the response's `extensions.metrics`.
"""

import logging
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from strawberry.extensions import SchemaExtension

logger = logging.getLogger("graphql.operation")


class OperationLog(SchemaExtension):
    """List it first, so its timing covers parsing, validation, limits and execution."""

    def on_operation(self) -> Iterator[None]:
        self.metrics: dict[str, Any] = {}
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        start = time.perf_counter()
        failure: BaseException | None = None
        try:
            with connection.execute_wrapper(count):
                yield
        except BaseException as error:
            failure = error
            raise
        finally:
            self._log(time.perf_counter() - start, queries, failure)

    def _log(self, seconds: float, queries: int, failure: BaseException | None) -> None:
        context = self.execution_context
        try:
            operation_type = context.operation_type.value
        except Exception:  # the document did not parse
            operation_type = None
        try:
            name = context.operation_name
        except Exception:
            name = None
        result = context.result
        errors = list(getattr(result, "errors", None) or context.pre_execution_errors or [])
        codes = sorted({str((e.extensions or {}).get("code", "")) for e in errors} - {""})
        self.metrics = {
            "operation": name,
            "operation_type": operation_type,
            "duration_ms": round(seconds * 1000, 2),
            "sql_queries": queries,
            "cost": getattr(context, "query_cost", None),
            "errors": len(errors) + (1 if failure is not None else 0),
            "error_codes": codes,
        }
        logger.info(
            "graphql %s %s %.1fms sql=%d errors=%d",
            operation_type or "-",
            name or "(anonymous)",
            seconds * 1000,
            queries,
            self.metrics["errors"],
            extra=self.metrics,
        )

    def get_results(self) -> dict[str, Any]:
        if not settings.GRAPHQL_METRICS_IN_RESPONSE:
            return {}
        metrics = getattr(self, "metrics", None) or {}
        return {
            "metrics": {
                "sqlQueries": metrics.get("sql_queries"),
                "durationMs": metrics.get("duration_ms"),
                "cost": metrics.get("cost"),
            }
        }
