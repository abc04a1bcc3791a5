"""Numbers written in words: «жүз жиырма бес», «үш жарым», «екі-үш», and decimals in words
(«үш бүтін оннан екі», «три целых две десятых», «он жеті де жеті»).

Kept apart from extractor/numbers/amounts.py, which joins what is read here with digits and scale
words into one amount: reading words needs only one language's number data and rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from extractor.langdata import NumberData
from extractor.numbers.rules import NumberRules
from extractor.tokens import Token

_CACHE_LIMIT = 100_000  # distinct words kept before the cache starts over


class Numeral(NamedTuple):
    """One number read from digits or words, before any scale word after it."""

    value: float
    last: int  # its last token
    fired: list[str]
    ending: str = ""
    decimal: bool = False
    low: float | None = None  # «екі-үш», «пять-шесть»: the first of two joined by a hyphen


class NumberWords:
    """Reads runs of number words with one language's number data and rules."""

    def __init__(self, data: NumberData, rules: NumberRules, code: str) -> None:
        self.data = data
        self.rules = rules
        self.code = code
        self._cache: dict[str, tuple[str, float, str] | None] = {}

    def read(self, tokens: Sequence[Token], j: int, text: str, decimals: bool = True) -> Numeral | None:
        """Consecutive number words («жүз жиырма бес», «үш жарым», «полторы», «жүздей»)."""
        current, last, fired, ending = 0.0, None, [], ""
        low, k = None, j
        pair = self.hyphen_pair(tokens[j].norm) if decimals and "-" in tokens[j].norm else None
        if pair is not None:
            low, current, ending = pair
            fired, last, k = [f"{self.code}.numbers.hyphen_range:{tokens[j].norm}"], j, j + 1
        while k < len(tokens) and tokens[k].kind == "word" and not ending:
            if last is not None and text[tokens[last].end : tokens[k].start].strip():
                break
            if last is not None and (half := self.data.half_words.match_at(tokens, k, text)) is not None:
                current += 0.5
                fired.append(f"{self.code}.numbers.half")
                last, k = half.last, half.last + 1
                continue
            read = self.word(tokens[k].norm)
            if read is None or (read[0] == "multiply" and current >= read[1]):
                break  # a multiplier applies to a number below it: «жүз жүз» is two numbers
            kind, value, ending = read
            current = current + value if kind == "add" else (current or 1.0) * value
            fired.append(f"{self.code}.numbers.words:{tokens[k].norm}")
            last, k = k, k + 1
        if last is None:
            return None
        words = Numeral(current, last, fired, ending, low=low)
        if decimals and not ending and low is None:
            return decimal_after(self, words, tokens, text) or words
        return words

    def word(self, norm: str) -> tuple[str, float, str] | None:
        """("add" or "multiply", value, ending) of one number word, with a case ending or not."""
        # cached: the same words come back in every sentence; cleared so it cannot grow unbounded
        if norm in self._cache:
            return self._cache[norm]
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        read = self._cache[norm] = self._read_word(norm)
        return read

    def _read_word(self, norm: str) -> tuple[str, float, str] | None:
        if norm in self.rules.not_numbers:
            return None
        for ending in ("", *self.rules.word_endings):
            if ending and (not norm.endswith(ending) or len(norm) <= len(ending)):
                continue
            stem = norm[: len(norm) - len(ending)] if ending else norm
            if (v := self.data.add_words.matches_word(stem)) is not None:
                return "add", float(v), ending.lstrip("-‐")
            if (v := self.data.multiply_words.matches_word(stem)) is not None:
                return "multiply", float(v), ending.lstrip("-‐")
        return None

    def hyphen_pair(self, norm: str) -> tuple[float, float, str] | None:
        """«екі-үш», «он-он», «пять-шесть»: two number words joined by a hyphen."""
        left, _, right = norm.partition("-")
        low, high = self.word(left), self.word(right)
        if low is None or high is None or low[0] != "add" or high[0] != "add" or low[2]:
            return None
        return low[1], high[1], high[2]


# Decimals in words: module-level because they only extend a whole number that
# NumberWords.read has found, and read their fraction part with it again.


def decimal_after(words: NumberWords, whole: Numeral, tokens: Sequence[Token], text: str) -> Numeral | None:
    """«үш бүтін оннан екі» (denominator first), «три целых две десятых» (numerator
    first), «бір бүтін бес» (no denominator: the numerator's digits tell it)."""
    rules = words.rules
    k = whole.last + 1
    if k >= len(tokens):
        return None
    point = rules.point_words.match_at(tokens, k, text)
    if point is None:
        return _spoken_decimal(words, whole, tokens, k, text)
    k = point.last + 1
    if k >= len(tokens):
        return None
    denominator = rules.fraction_words.match_at(tokens, k, text)
    if denominator is not None:
        numerator = _numerator(words, tokens, denominator.last + 1, text)
        if numerator is None:
            return None
        last, ending, den = numerator.last, numerator.ending, float(denominator.label)
    else:
        numerator = _numerator(words, tokens, k, text)
        if numerator is None:
            return None
        after = numerator.last + 1
        denominator = rules.fraction_words.match_at(tokens, after, text) if after < len(tokens) else None
        if denominator is not None:
            last, ending, den = denominator.last, "", float(denominator.label)
        else:
            last, ending, den = numerator.last, numerator.ending, 10.0 ** len(f"{numerator.value:g}")
    value = whole.value + numerator.value / den
    fired = [*whole.fired, f"{words.code}.numbers.decimal:{point.term}", *numerator.fired]
    return Numeral(value, last, fired, ending, decimal=True)


def _spoken_decimal(
    words: NumberWords, whole: Numeral, tokens: Sequence[Token], k: int, text: str
) -> Numeral | None:
    """«он жеті де жеті пайыз» = 17.7, «бір де сегіз миллиард» = 1.8e9: one digit after a
    particle; not in «бір де бір» (not a single one)."""
    point = words.rules.spoken_points.match_at(tokens, k, text)
    if point is None or point.last + 1 >= len(tokens):
        return None
    numerator = _numerator(words, tokens, point.last + 1, text)
    if numerator is None or numerator.last != point.last + 1 or not 0 < numerator.value < 10:
        return None
    phrase = " ".join(t.norm for t in tokens[whole.last : numerator.last + 1])
    if phrase in words.rules.not_spoken:
        return None
    fired = [*whole.fired, f"{words.code}.numbers.spoken_decimal:{point.term}", *numerator.fired]
    return Numeral(whole.value + numerator.value / 10, numerator.last, fired, numerator.ending, True)


def _numerator(words: NumberWords, tokens: Sequence[Token], k: int, text: str) -> Numeral | None:
    # the fraction part must follow at once, and is read without decimals of its own
    if k >= len(tokens) or text[tokens[k - 1].end : tokens[k].start].strip():
        return None
    return words.read(tokens, k, text, decimals=False)
