"""Numbers: digits of every script (digits.py), number words (words.py), what the pattern
files say about numbers (rules.py), amounts read from digits, scale words and words
(amounts.py), and two amounts read as one: ranges and subunits (ranges.py)."""

from extractor.numbers.amounts import Amount, AmountReader

__all__ = ["Amount", "AmountReader"]
