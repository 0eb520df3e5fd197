"""Free text as the product stores it."""


def plain_text(value: str | None) -> str:
    """Trimmed, without control characters (newlines and tabs kept): they have no place in a
    message or a review, and some break renderers (NUL cannot even be stored)."""
    return "".join(ch for ch in (value or "") if ch in "\n\t" or ch.isprintable()).strip()
