"""Amounts: digits, scale words and number words read into one value.

Digits: «157,7», «48 298», «1 250,5». A single comma or dot followed by exactly three digits
after a whole part of one to three digits («1,800», «20.000») is ambiguous: it is read as a
thousands separator in a count or a sum with no scale word, and as a decimal point with a
scale word («1.250 млн») or in a percent or ratio. Dots that group two or more runs of three
digits («1.250.000») always separate thousands. A run of more than 15 digits is an id or a
phone number, never an amount (and it would not fit a float exactly).

Number words and decimals in words are read in extractor/numbers/words.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import regex

from extractor.langdata import NumberData
from extractor.numbers.digits import ascii_digits
from extractor.numbers.rules import NumberRules, number_rules
from extractor.numbers.words import NumberWords, Numeral
from extractor.terms import TermMatch
from extractor.tokens import Token, new_tuple

_SPACES = regex.compile(r"[ \u00a0\u202f\u2009]")
_JOIN_GAP = regex.compile(r"\.?\s+|\s*")  # «75 млн. 122 мың»
_DOT_GROUPS = regex.compile(r"\d{1,3}(?:\.\d{3}){2,}")
MAX_DIGITS = 15


class _Group(NamedTuple):
    """One numeral with its scale word: «157,7 мың», «75 млн.», «800»."""

    value: float
    last: int
    scale: float
    fired: list[str]
    thousands: float | None  # the thousands reading of «1,800»
    ending: str  # what is joined to the numeral or its scale word («мыңға» -> «ға»)
    decimal: bool = False  # a decimal in words («үш бүтін оннан екі»)
    low: float | None = None  # «екі-үш мың»: the low end, before the scale word


class Amount(NamedTuple):
    first: int  # token indexes
    last: int
    value: float
    thousands_value: float | None  # «1,800» read with a thousands comma, when ambiguous
    has_scale: bool
    words_only: bool  # number words with no scale word («үш бала»)
    partitive: bool  # «11 мыңы», «27 964-і»: a part of the figure before
    fired: tuple[str, ...]  # pattern ids for explain
    ending: str  # what is joined to the last numeral or scale word («мыңға» -> «ға»)
    value_max: float | None = None  # the high end of a range («5–7 млн»)
    scale: float = 1.0  # the largest scale word in it («7 млн» -> 1e6)


@lru_cache(maxsize=50_000)  # years and round numbers repeat across a corpus
def read_digits(text: str) -> tuple[float, float | None]:
    """The value of a digit token, and its thousands reading when a separator is ambiguous."""
    digits = ascii_digits(_SPACES.sub("", text))
    if _DOT_GROUPS.fullmatch(digits):
        return float(digits.replace(".", "")), None
    if "," in digits or "." in digits:
        whole, _, fraction = digits.replace(",", ".").partition(".")
        value = float(f"{whole}.{fraction}")
        if len(fraction) == 3 and len(whole) <= 3 and whole != "0":
            return value, float(whole + fraction)
        return value, None
    return float(digits), None


def too_long(text: str) -> bool:
    if len(text) <= MAX_DIGITS:
        return False  # the digits of the whole part are fewer still
    digits = _SPACES.sub("", text)
    grouped = _DOT_GROUPS.fullmatch(digits)
    whole = digits.replace(".", "") if grouped else digits.replace(",", ".").partition(".")[0]
    return len(whole) > MAX_DIGITS


class AmountReader:
    """Finds amounts in a sentence's tokens with one language's number data."""

    def __init__(self, data: NumberData, code: str) -> None:
        self.data = data
        self.code = code
        self.rules: NumberRules = number_rules(code)
        self.words = NumberWords(data, self.rules, code)  # number words and decimals in words
        self._starts: dict[str, bool] = {}  # word → whether an amount may begin with it
        self._ordinal_suffixes = tuple(data.ordinal_suffixes) or ("\0",)

    def read(self, tokens: Sequence[Token], text: str, masked: set[int]) -> list[Amount]:
        from extractor.numbers.ranges import join_ranges, join_subunits

        amounts: list[Amount] = []
        i, count, known = 0, len(tokens), self._starts
        while i < count:
            token = tokens[i]
            kind = token.kind
            if kind == "pct" or (kind == "word" and not token.lemma and known.get(token.norm) is False):
                i += 1  # most words start no amount: told from the cache without a call
                continue
            starts = i not in masked and self._may_start(token)
            amount = self._amount_at(tokens, i, text, masked) if starts else None
            if amount is None:
                i += 1
                continue
            amounts.append(amount)
            i = amount.last + 1
        if len(amounts) < 2:
            return amounts
        amounts = join_subunits(amounts, tokens, text, self.rules, self.code)
        return join_ranges(amounts, tokens, text, self.rules, self.code)

    def _may_start(self, token: Token) -> bool:
        """Whether an amount can begin at this token: digits, a number word, a pair of them
        («екі-үш»), or a scale word alone. Most words cannot, and are told so from a cache."""
        if token.kind != "word":
            return token.kind == "num"
        if token.lemma and self.data.scales.lemmas:
            return self._starts_amount(token)
        known = self._starts.get(token.norm)
        if known is None:
            if len(self._starts) > 100_000:
                self._starts.clear()
            known = self._starts[token.norm] = self._starts_amount(token)
        return known

    def _starts_amount(self, token: Token) -> bool:
        norm = token.norm
        return (
            self.words.word(norm) is not None
            or ("-" in norm and self.words.hyphen_pair(norm) is not None)
            or self.data.scales.may_start(token)
        )

    def _amount_at(self, tokens: Sequence[Token], i: int, text: str, masked: set[int]) -> Amount | None:
        groups: list[_Group] = []
        j = i
        previous_scale = float("inf")
        while j < len(tokens) and j not in masked:
            group = self._group_at(tokens, j, text)
            if group is None or group.scale >= previous_scale:
                break
            if group.scale == 1 and groups and group.value >= previous_scale:
                break
            groups.append(group)
            previous_scale = group.scale
            j = group.last + 1
            if (
                group.scale == 1
                or group.ending in self.rules.word_endings  # «2 млрд-тан 300 млн-ға»: two numbers
                or j >= len(tokens)
                or not _JOIN_GAP.fullmatch(text[tokens[group.last].end : tokens[j].start])
            ):
                break
        if not groups:
            return None
        return self._combine(tokens, i, groups)

    def _combine(self, tokens: Sequence[Token], i: int, groups: list[_Group]) -> Amount | None:
        first_token = tokens[i]
        if first_token.kind == "num" and first_token.suffix.startswith(self._ordinal_suffixes):
            return None
        value = sum(g.value for g in groups)
        if not math.isfinite(value):
            return None  # no run of words may make an amount beyond a float
        last = groups[-1].last
        has_scale = any(g.scale > 1 for g in groups)
        ambiguous = groups[0].thousands if len(groups) == 1 and not has_scale else None
        decimal = any(g.decimal for g in groups)
        words_only = first_token.kind == "word" and not has_scale and not decimal
        fired = tuple(p for g in groups for p in g.fired)
        ending = groups[-1].ending
        partitive = ending in self.data.partitive_suffixes
        scale = groups[0].scale
        value_max = None
        if groups[0].low is not None:  # «екі-үш мың»: 2000..3000, «он-он бес»: 10..15
            value_max, low = value, groups[0].low * scale
            value = low if low <= value_max else groups[0].low
            if not value < value_max:
                return None
        kinds = (has_scale, words_only, partitive)
        return new_tuple(Amount, (i, last, value, ambiguous, *kinds, fired, ending, value_max, scale))

    def _group_at(self, tokens: Sequence[Token], j: int, text: str) -> _Group | None:
        token = tokens[j]
        if token.kind == "num":
            if too_long(token.text):
                return None
            value, thousands = read_digits(token.text)
            words = new_tuple(Numeral, (value, j, [f"{self.code}.numbers.digits"], token.suffix, False, None))
            if not token.suffix:
                words = self._half_after(words, tokens, text)
        elif token.kind == "word":
            found = self.words.read(tokens, j, text)
            if found is None:
                return self._bare_scale(tokens, j, text)
            words, thousands = found, None
        else:
            return None
        scale, last, ending, fired = 1.0, words.last, words.ending, words.fired
        if not ending:
            match = self._scale_after(tokens, last, text)
            if match is not None:
                scale, last = float(match.label), match.last
                ending = self.data.scales.suffix_of(match, tokens[last]).lstrip("-‐")
                fired = [*fired, f"{self.code}.numbers.scales:{match.term}"]
        group = (words.value * scale, last, scale, fired, thousands, ending, words.decimal, words.low)
        return new_tuple(_Group, group)

    def _bare_scale(self, tokens: Sequence[Token], j: int, text: str) -> _Group | None:
        """A scale word alone stands for one of it («Мыңнан астам», «тысяча двести»)."""
        match = self.data.scales.match_at(tokens, j, text)
        if match is None or match.last != j:
            return None
        ending = self.data.scales.suffix_of(match, tokens[j])
        if ending not in self.data.bare_scale_endings:
            return None
        scale = float(match.label)
        return _Group(scale, j, scale, [f"{self.code}.numbers.bare_scale:{match.term}"], None, ending)

    def _scale_after(self, tokens: Sequence[Token], last: int, text: str) -> TermMatch | None:
        k = last + 1
        if k >= len(tokens) or text[tokens[last].end : tokens[k].start].strip():
            return None
        return self.data.scales.match_at(tokens, k, text)

    def _half_after(self, words: Numeral, tokens: Sequence[Token], text: str) -> Numeral:
        """«два с половиной», «үш жарым»: a half after the number."""
        k = words.last + 1
        if k >= len(tokens) or text[tokens[words.last].end : tokens[k].start].strip():
            return words
        match = self.data.half_words.match_at(tokens, k, text)
        if match is None:
            return words
        fired = [*words.fired, f"{self.code}.numbers.half"]
        return words._replace(value=words.value + 0.5, last=match.last, fired=fired)
