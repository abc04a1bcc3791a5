"""Other scripts of a language: term variants derived from its patterns by a table."""

from __future__ import annotations


def script_variants(code: str, term: str) -> tuple[str, ...]:
    """The term and its forms in the language's other scripts (the term alone for now)."""
    return (term,)
