"""GraphQL documents as clients send them: one operation with the fragments it uses.

No Django here: the load generator (bench/load) uses it too.
"""

from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor


def _spreads(node) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *args):
            names.add(spread.name.value)

    visit(node, Collect())
    return names


def operation_documents(document: DocumentNode) -> list[tuple[OperationDefinitionNode, str]]:
    """Each operation of `document` with the fragments it needs (transitively), printed."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    result = []
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        needed: list[str] = []
        pending = sorted(_spreads(operation))
        while pending:
            name = pending.pop(0)
            if name in needed or name not in fragments:
                continue
            needed.append(name)
            pending.extend(sorted(_spreads(fragments[name]) - set(needed)))
        definitions = [operation, *(fragments[name] for name in needed)]
        result.append((operation, print_ast(DocumentNode(definitions=tuple(definitions)))))
    return result


def operation_text(path: Path, name: str) -> str:
    """The named operation of the document at `path`, as a client sends it."""
    for operation, text in operation_documents(parse(path.read_text())):
        if operation.name and operation.name.value == name:
            return text
    raise KeyError(f"No operation {name} in {path}")
