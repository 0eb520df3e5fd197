"""What a load scenario is: a weighted mix of GraphQL operations with variable generators.

A scenario is a Python module with `OPERATIONS`, a list of `Operation`s. Generators get the
worker's `random.Random` and the data loaded with `--data` (a JSON file, e.g. the ids and
tokens that `bench/load/fixtures.py` writes), and return variables or extra headers.
"""

import importlib
import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from schema.documents import operation_text

Generator = Callable[[random.Random, dict], dict]

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "contract" / "operations"


@dataclass(frozen=True)
class Operation:
    name: str
    weight: float
    query: str
    variables: Generator | None = None
    headers: Generator | None = None
    # Top-level error codes that are an expected answer here, not a failure.
    expected_codes: frozenset[str] = field(default_factory=frozenset)
    # Payload error codes (`data.<mutation>.errors[].code`) that are failures here; other
    # codes are counted as outcomes (e.g. DATES_UNAVAILABLE when clients race for dates).
    failing_payload_codes: frozenset[str] = field(default_factory=frozenset)
    # Or the other way round: only these payload codes are acceptable answers.
    allowed_payload_codes: frozenset[str] | None = None


def contract(document: str, name: str) -> str:
    """An operation of the frontend contract (`shared/contract/operations/<document>`), with
    its fragments, as a client sends it."""
    return operation_text(CONTRACT / document, name)


def bearer(token_key: str = "tokens") -> Generator:
    """Headers signing the request in as one of the data's tokens, chosen at random."""

    def headers(rng: random.Random, data: dict) -> dict:
        return {"Authorization": f"Bearer {rng.choice(data[token_key])}"}

    return headers


def load(spec: str) -> ModuleType:
    """A scenario by module name (`bench.load.scenarios.smoke`) or file path."""
    if spec.endswith(".py") or "/" in spec:
        path = Path(spec)
        module_spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        return module
    return importlib.import_module(spec)


def operations(module: ModuleType) -> list[Operation]:
    ops: list[Any] = list(getattr(module, "OPERATIONS", []))
    if not ops or not all(isinstance(op, Operation) for op in ops):
        raise ValueError(f"{module.__name__} has no OPERATIONS list of Operation")
    return ops
