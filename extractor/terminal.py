"""Text from input made safe to print: a file name or an article holding escape codes must
not recolour, move or clear the reader's terminal, nor fail to encode."""

from __future__ import annotations

from typing import TextIO

import regex

# control characters (C0, DEL, C1), lone surrogates, line and paragraph separators, and the
# bidirectional overrides that can make printed text read differently from what it is
_UNSAFE = regex.compile(r"[\p{Cc}\p{Cs}\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str, keep: str = "") -> str:
    """text with each unsafe character written as its escape («\\x1b»), except those in keep."""
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else ascii(m.group())[1:-1], text)


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
