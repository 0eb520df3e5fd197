"""Contract documents whose domain is not built yet: the one place that lists them.

Each domain's issue removes its file when the schema serves every operation in it.
"""

PENDING_DOCUMENTS: set[str] = set()
