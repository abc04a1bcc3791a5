"""Decimal digits of every script read as ASCII digits.

The patterns' `\\d` (the regex module) matches the decimal digits of every script in its own
Unicode version, which can be newer than Python's: int() and float() refuse a digit that
Python's Unicode data does not know yet (U+1E4F0 NAG MUNDARI DIGIT ZERO). Every number read
from matched text goes through here, so a digit `\\d` matched is a digit of the value, in
whatever script it was written (value_text keeps the characters as written).
"""

from __future__ import annotations

import regex

_DECIMAL = regex.compile(r"\p{Nd}")
_VALUES = tuple(regex.compile(rf"\p{{Numeric_Value={n}}}") for n in range(10))


class _DigitTable(dict[int, str]):
    """str.translate table built on demand: a decimal digit maps to its ASCII digit."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        found = char
        if _DECIMAL.match(char):
            found = next((str(n) for n, value in enumerate(_VALUES) if value.match(char)), char)
        self[code] = found
        return found


_TABLE = _DigitTable()


def ascii_digits(text: str) -> str:
    """text with each decimal digit of any script replaced by its ASCII digit."""
    return text if text.isascii() else text.translate(_TABLE)


def to_int(text: str) -> int:
    """int() of digits matched by `\\d`, in any script."""
    return int(ascii_digits(text))
