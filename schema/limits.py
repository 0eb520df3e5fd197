"""Query limits: documents that are too big or too expensive are refused before execution.

Four limits, each a setting (see README, "Configuration"), each refused with a top-level error
whose `extensions.code` is `QUERY_TOO_COMPLEX` (and `extensions.limit` naming the limit):

- tokens (`GRAPHQL_MAX_TOKENS`): enforced by the parser, so a token flood costs no more than
  reading up to the limit;
- depth (`GRAPHQL_MAX_DEPTH`) and aliases (`GRAPHQL_MAX_ALIASES`): strawberry's validators, run
  as validation rules (so the validation cache covers them);
- cost (`GRAPHQL_MAX_COST`): every field costs 1; a list field multiplies the cost of its
  selection by the number of items it can return: `first`/`last` of a connection (or, without
  them, `GRAPHQL_COST_CONNECTION_SIZE`, the most a page holds), the length of `ids`, or
  `GRAPHQL_COST_LIST_SIZE` for a plain list. Variables (and their defaults) are resolved, and
  fragments and inline fragments are counted. It depends on the variables, so it runs on every
  request, after validation.

Introspection is refused unless `GRAPHQL_INTROSPECTION` is on (it is in DEBUG).
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import ParserCache, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.schema.schema import validate_document

from domains.shared.errors import ErrorCode
from schema.errors import ApiError

CODE = ErrorCode.QUERY_TOO_COMPLEX.name
PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class Limits:
    max_tokens: int
    max_depth: int
    max_aliases: int
    max_cost: int
    connection_size: int
    list_size: int
    introspection: bool

    @classmethod
    def from_settings(cls) -> "Limits":
        # Read per request, so an operator (or a test) changes a limit without a restart.
        return cls(
            max_tokens=settings.GRAPHQL_MAX_TOKENS,
            max_depth=settings.GRAPHQL_MAX_DEPTH,
            max_aliases=settings.GRAPHQL_MAX_ALIASES,
            max_cost=settings.GRAPHQL_MAX_COST,
            connection_size=settings.GRAPHQL_COST_CONNECTION_SIZE,
            list_size=settings.GRAPHQL_COST_LIST_SIZE,
            introspection=settings.GRAPHQL_INTROSPECTION,
        )


class QueryTooComplex(ApiError):
    def __init__(self, message: str, limit: str, **extra: Any) -> None:
        super().__init__(message, ErrorCode.QUERY_TOO_COMPLEX, limit=limit, **extra)


def tag(error: GraphQLError, limit: str) -> GraphQLError:
    error.extensions = {**(error.extensions or {}), "code": CODE, "limit": limit}
    return error


def _coded(rule: type[ValidationRule], limit: str) -> type[ValidationRule]:
    """`rule`, with `extensions.code` on every error it reports (strawberry's limiters report
    plain errors from their constructors, through the validation context)."""

    class CodedRule(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            report = context.report_error
            context.report_error = lambda error: report(tag(error, limit))  # type: ignore[method-assign]
            try:
                super().__init__(context)
            finally:
                del context.report_error  # back to the class's method

    CodedRule.__name__ = f"Coded{rule.__name__}"
    return CodedRule


@cache
def validation_rules(
    max_depth: int, max_aliases: int, introspection: bool
) -> tuple[type[ValidationRule], ...]:
    """The rule classes for these limits, built once: the validation cache keys on the rule
    classes, so a new class per request would make every request a cache miss."""
    rules: list[type[ValidationRule]] = []
    if max_depth > 0:
        rules.append(_coded(depth_validator(max_depth, None), "depth"))
    if max_aliases > 0:
        rules.append(_coded(aliases_validator(max_aliases), "aliases"))
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


# --- cost ----------------------------------------------------------------------------------


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    limits: Limits


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


def _variables(operation: OperationDefinitionNode, provided: Mapping[str, Any] | None) -> dict:
    values = {}
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if provided and name in provided:
            values[name] = provided[name]
        elif definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    return values


def _argument(node: FieldNode, name: str, variables: Mapping[str, Any]) -> Any:
    for argument in node.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            return variables.get(value.name.value)
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, ListValueNode):
            return value.values
        return None
    return None


def _page_size(node: FieldNode, variables: Mapping[str, Any]) -> int | None:
    for name in PAGE_ARGUMENTS:
        value = _argument(node, name, variables)
        if isinstance(value, int) and not isinstance(value, bool):
            return max(value, 0)
    return None


def _has_page_argument(node: FieldNode) -> bool:
    return any(argument.name.value in PAGE_ARGUMENTS for argument in node.arguments or ())


def _is_connection(named_type: Any) -> bool:
    return isinstance(named_type, GraphQLObjectType) and {"edges", "pageInfo"} <= set(
        named_type.fields
    )


def _selections_cost(
    walk: _Walk, selection_set: SelectionSetNode, parent: Any, page: int | None, seen: frozenset
) -> int:
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += _field_cost(walk, selection, parent, page, seen)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = walk.schema.get_type(condition.name.value) if condition else parent
            total += _selections_cost(walk, selection.selection_set, target, page, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = walk.fragments.get(name)
            if fragment is None or name in seen:
                continue
            target = walk.schema.get_type(fragment.type_condition.name.value)
            total += _selections_cost(walk, fragment.selection_set, target, page, seen | {name})
    return total


def _field_cost(
    walk: _Walk, node: FieldNode, parent: Any, page: int | None, seen: frozenset
) -> int:
    name = node.name.value
    if name.startswith("__"):
        return 0  # __typename and introspection (which is off in production) are free
    if node.selection_set is None:
        return 1  # a leaf, scalar lists included: one resolver call
    fields = getattr(parent, "fields", None) if parent is not None else None
    definition = fields.get(name) if fields is not None else None
    if definition is not None:
        named = get_named_type(definition.type)
        connection = _is_connection(named)
        is_list = is_list_type(get_nullable_type(definition.type))
    else:
        # A field the schema does not know (validation refuses it later; the contract test
        # estimates documents of domains not built yet): guess from the arguments.
        named = None
        connection = _has_page_argument(node)
        is_list = page is not None and name in ("edges", "nodes")
    if connection:
        size = _page_size(node, walk.variables)
        size = walk.limits.connection_size if size is None else size
        return 1 + _selections_cost(walk, node.selection_set, named, size, seen)
    multiplier = 1
    if is_list:
        if page is not None:  # edges (or nodes) of a connection: one per item of the page
            multiplier = page
        else:
            size = _page_size(node, walk.variables)
            ids = _argument(node, "ids", walk.variables)
            if size is None and isinstance(ids, list | tuple):
                size = len(ids)
            multiplier = walk.limits.list_size if size is None else size
    return 1 + multiplier * _selections_cost(walk, node.selection_set, named, None, seen)


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    limits: Limits | None = None,
) -> int:
    """The cost of the operation `operation_name` of `document` (0 when there is no such
    operation: execution refuses that itself)."""
    limits = limits or Limits.from_settings()
    operation = _operation(document, operation_name)
    if operation is None:
        return 0
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments, _variables(operation, variables), limits)
    return _selections_cost(walk, operation.selection_set, root, None, frozenset())


# --- the schema extension ------------------------------------------------------------------


def is_token_limit_error(error: GraphQLError) -> bool:
    return "Document contains more than" in error.message


class QueryLimits(SchemaExtension):
    """Applies the limits to every operation. List it after `ValidationCache`: the cost check
    runs once validation has passed."""

    def on_operation(self) -> Iterator[None]:
        limits = self.limits = Limits.from_settings()
        context = self.execution_context
        if limits.max_tokens > 0:
            # Comments count separately, with the same bound (a flood of them costs memory).
            context.parse_options["max_lexical_tokens"] = limits.max_tokens
            context.parse_options["max_comments"] = limits.max_tokens
        rules = validation_rules(limits.max_depth, limits.max_aliases, limits.introspection)
        context.validation_rules = (*context.validation_rules, *rules)
        yield

    def on_parse(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            if is_token_limit_error(error):
                tag(error, "tokens")

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None:
            # No validation cache in front: validate here, so the cost is only computed
            # for valid documents (strawberry skips its own validation once errors are set).
            context.pre_execution_errors = validate_document(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
        if not context.pre_execution_errors and self.limits.max_cost > 0:
            cost = query_cost(
                context.schema._schema,
                context.graphql_document,
                operation_name=context.operation_name,
                variables=context.variables,
                limits=self.limits,
            )
            context.query_cost = cost  # read by the operation log
            if cost > self.limits.max_cost:
                context.pre_execution_errors = [
                    QueryTooComplex(
                        f"The query costs {cost}, more than the limit of "
                        f"{self.limits.max_cost}. Ask for fewer items (`first`) or fewer "
                        "nested lists.",
                        "cost",
                        cost=cost,
                        maxCost=self.limits.max_cost,
                    )
                ]
        yield


class LimitedParserCache(ParserCache):
    """strawberry's ParserCache, except that a document failing to parse (over the token limit,
    say) is left to strawberry's own parse step, which reports it as a normal request error
    instead of an exception escaping the extension."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:
            context.graphql_document = None
        yield


def parser_cache(maxsize: int) -> Callable[[], LimitedParserCache]:
    return lambda: LimitedParserCache(maxsize=maxsize)
