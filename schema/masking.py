"""Errors masked for clients, logged in full for operators.

An exception nobody raised on purpose (a bug, a database error, a timeout) reaches the client as
`"Unexpected error."` with `extensions.code` `INTERNAL_SERVER_ERROR` and the request id, never
its message, SQL or stack; the log gets all of it, traceback included, under the same request
id. Errors raised on purpose are `GraphQLError`s (e.g. `schema.errors.ApiError` with a code) and
pass unchanged, as do parse, validation and variable errors.
"""

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionContext

from backend.logging import current_request_id
from domains.shared.errors import ErrorCode

logger = logging.getLogger("graphql.errors")

UNEXPECTED_MESSAGE = "Unexpected error."


def is_unexpected(error: GraphQLError) -> bool:
    """Whether `error` wraps an exception that was not raised as a GraphQL error.

    Resolver exceptions have a path; exceptions of the machinery around execution (an
    extension, the database before execution) have no location. A scalar that rejects a
    literal also wraps a plain exception, but it points at the literal and says what is
    wrong with it, so it passes."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    return error.path is not None or not error.nodes


def masked(error: GraphQLError) -> GraphQLError:
    return GraphQLError(
        UNEXPECTED_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={
            "code": ErrorCode.INTERNAL_SERVER_ERROR.name,
            "requestId": current_request_id(),
        },
    )


def mask_errors() -> MaskErrors:
    extension = MaskErrors(should_mask_error=is_unexpected, error_message=UNEXPECTED_MESSAGE)
    extension.anonymise_error = masked  # type: ignore[method-assign]
    return extension


class Schema(strawberry.Schema):
    """strawberry's Schema, logging each unexpected error once, with its traceback (strawberry
    logs every error, validation errors included, at ERROR level)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if not is_unexpected(error):
                continue
            original = error.original_error
            operation = None
            if execution_context is not None:
                try:
                    operation = execution_context.operation_name
                except Exception:  # no document
                    operation = None
            logger.error(
                "Unexpected error in %s at %s: %s",
                operation or "an anonymous operation",
                ".".join(str(key) for key in error.path or ()) or "(no field)",
                original,
                exc_info=(type(original), original, original.__traceback__),
                extra={"operation": operation, "graphql_path": error.path},
            )
