"""Amounts: digits, scale words and number words read into one value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extractor.langdata import NumberData
from extractor.terms import TermMatch
from extractor.tokens import Token

_SPACES = regex.compile(r"[ \u00a0\u202f\u2009]")
_JOIN_GAP = regex.compile(r"\.?\s+|\s*")  # «75 млн. 122 мың»


@dataclass(frozen=True)
class _Group:
    """One numeral with its scale word: «157,7 мың», «75 млн.», «800»."""

    value: float
    last: int
    scale: float
    fired: list[str]
    thousands: float | None  # the thousands reading of «1,800»
    scale_stem: str


@dataclass(frozen=True)
class Amount:
    first: int  # token indexes
    last: int
    value: float
    thousands_value: float | None  # «1,800» read with a thousands comma, when ambiguous
    has_scale: bool
    words_only: bool  # number words with no scale word («үш бала»)
    partitive: bool  # «11 мыңы», «27 964-і»: a part of the figure before
    fired: tuple[str, ...]  # pattern ids for explain
    ending: str  # what is joined to the last numeral or scale word («мыңға» -> «ға»)


def _ending(token: Token, group: _Group) -> str:
    if token.kind == "num":
        return token.suffix
    stem = group.scale_stem
    return token.norm[len(stem) :] if stem and token.norm.startswith(stem) else ""


def read_digits(text: str) -> tuple[float, float | None]:
    """The value of a digit token, and its thousands reading when a comma is ambiguous."""
    digits = _SPACES.sub("", text)
    if "," in digits or "." in digits:
        whole, _, fraction = digits.replace(",", ".").partition(".")
        value = float(f"{whole}.{fraction}")
        if len(fraction) == 3 and len(whole) <= 3 and "," in digits:
            return value, float(whole + fraction)
        return value, None
    return float(digits), None


class AmountReader:
    """Finds amounts in a sentence's tokens with one language's number data."""

    def __init__(self, data: NumberData, code: str) -> None:
        self.data = data
        self.code = code

    def read(self, tokens: Sequence[Token], text: str, masked: set[int]) -> list[Amount]:
        amounts: list[Amount] = []
        i = 0
        while i < len(tokens):
            amount = None if i in masked else self._amount_at(tokens, i, text, masked)
            if amount is None:
                i += 1
                continue
            amounts.append(amount)
            i = amount.last + 1
        return amounts

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
                or j >= len(tokens)
                or not _JOIN_GAP.fullmatch(text[tokens[group.last].end : tokens[j].start])
            ):
                break
        if not groups:
            return None
        return self._combine(tokens, i, groups)

    def _combine(self, tokens: Sequence[Token], i: int, groups: list[_Group]) -> Amount | None:
        first_token = tokens[i]
        if first_token.kind == "num" and first_token.suffix.startswith(
            tuple(self.data.ordinal_suffixes) or ("\0",)
        ):
            return None
        value = sum(g.value for g in groups)
        last = groups[-1].last
        has_scale = any(g.scale > 1 for g in groups)
        ambiguous = groups[0].thousands if len(groups) == 1 and not has_scale else None
        words_only = first_token.kind == "word" and not has_scale
        fired = tuple(p for g in groups for p in g.fired)
        ending = _ending(tokens[last], groups[-1])
        partitive = ending in self.data.partitive_suffixes
        return Amount(i, last, value, ambiguous, has_scale, words_only, partitive, fired, ending)

    def _group_at(self, tokens: Sequence[Token], j: int, text: str) -> _Group | None:
        token = tokens[j]
        if token.kind == "num":
            value, thousands = read_digits(token.text)
            last, fired = j, [f"{self.code}.numbers.digits"]
        elif token.kind == "word":
            words = self._number_words(tokens, j, text)
            if words is None:
                return self._bare_scale(tokens, j, text)
            value, last, fired = words
            thousands = None
        else:
            return None
        scale, stem = 1.0, ""
        if token.kind != "num" or not token.suffix:
            match = self._scale_after(tokens, last, text)
            if match is not None:
                scale, last = float(match.label), match.last
                stem = match.term.rstrip("*").casefold()
                fired.append(f"{self.code}.numbers.scales:{match.term}")
        return _Group(value * scale, last, scale, fired, thousands, stem)

    def _bare_scale(self, tokens: Sequence[Token], j: int, text: str) -> _Group | None:
        """A scale word alone stands for one of it («Мыңнан астам», «тысяча двести»)."""
        match = self.data.scales.match_at(tokens, j, text)
        if match is None or match.last != j:
            return None
        if self.data.scales.suffix_of(match, tokens[j]) not in self.data.bare_scale_endings:
            return None
        scale = float(match.label)
        stem = match.term.rstrip("*").casefold()
        return _Group(scale, j, scale, [f"{self.code}.numbers.bare_scale:{match.term}"], None, stem)

    def _scale_after(self, tokens: Sequence[Token], last: int, text: str) -> TermMatch | None:
        k = last + 1
        if k >= len(tokens) or text[tokens[last].end : tokens[k].start].strip():
            return None
        return self.data.scales.match_at(tokens, k, text)

    def _number_words(
        self, tokens: Sequence[Token], j: int, text: str
    ) -> tuple[float, int, list[str]] | None:
        """Consecutive number words («жүз жиырма бес», «үш жарым», «полторы»)."""
        current, last, fired = 0.0, None, []
        k = j
        while k < len(tokens) and tokens[k].kind == "word":
            if last is not None and text[tokens[last].end : tokens[k].start].strip():
                break
            norm = tokens[k].norm
            if (v := self.data.add_words.matches_word(norm)) is not None:
                current += float(v)
            elif (v := self.data.multiply_words.matches_word(norm)) is not None:
                current = (current or 1.0) * float(v)
            elif self.data.half_words.matches_word(norm) is not None and last is not None:
                current += 0.5
            else:
                break
            fired.append(f"{self.code}.numbers.words:{norm}")
            last, k = k, k + 1
        if last is None:
            return None
        return current, last, fired
