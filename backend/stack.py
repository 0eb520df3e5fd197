"""Room on CPython's frame stack for deep work, such as resolving a GraphQL response.

CPython (3.11 to 3.13, measured) keeps Python frames in chunks of a data stack, 16 KB at first,
and frees a chunk as soon as the first frame in it returns. A hot loop of calls whose depth sits
at a chunk's edge then maps and unmaps a chunk on every call: those calls become 100 to 200
times slower. GraphQL resolves a response by deep recursion, and where the edge falls depends
on how many frames are below it (the server, the middleware): the same search page took 12 ms or
30 ms of CPU depending on one middleware more or less (bench/README.md, "Stack headroom").

`with_headroom(fn, ...)` calls `fn` from inside one very large frame. That frame cannot fit in
the current chunk, so CPython allocates a fresh 128 KB one for it (64 KB for the frame, 64 KB,
some 700 ordinary frames, of room after it): no chunk edge is within reach of the work, and the
one allocation costs microseconds a request.
"""

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# 8,192 local slots of 8 bytes: a 64 KB frame, in a chunk rounded up to 128 KB.
_SLOTS = 8192
_SOURCE = (
    "def with_headroom(fn, *args, **kwargs):\n"
    f"    {' = '.join(f'_{i}' for i in range(_SLOTS))} = None\n"
    "    return fn(*args, **kwargs)\n"
)
_namespace: dict[str, Any] = {}
exec(compile(_SOURCE, "<backend.stack>", "exec"), _namespace)  # a frame size only exec can give

with_headroom: Callable[..., Any] = _namespace["with_headroom"]
with_headroom.__doc__ = "Call fn(*args, **kwargs) inside a frame that reserves stack room."
