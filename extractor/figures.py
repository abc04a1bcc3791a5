"""Figures: an amount with its unit, qualifier and sign, found in one sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from extractor import qualify
from extractor.figure_units import FigureUnits
from extractor.langdata import ChangeData, LanguageData
from extractor.numbers import Amount, AmountReader
from extractor.terms import TermGroup, ending_at
from extractor.tokens import Token, new_tuple
from extractor.units import COUNTLESS_UNITS, Unit, UnitFinder


class Figure(NamedTuple):
    start: int  # offsets of value_text in the document
    end: int
    first: int  # token indexes in the sentence
    last: int
    value: float
    unit: str
    qualifier: str
    measure: str  # level | change
    marker: str  # "", "by", "to" or "from": how the figure relates to a change verb
    fired: tuple[str, ...]
    value_max: float | None = None  # the high end of a range («от 5 до 7 тысяч»)


class FigureFinder:
    """Reads the figures of a sentence with one language's patterns."""

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.amounts = AmountReader(lang.numbers, lang.code)
        self.units = UnitFinder(lang)
        self.unit_choice = FigureUnits(lang, self.units)  # which unit, from the figures around too
        # change verbs by direction, looked up once per word for both
        self.verbs = (("decrease", lang.change.decrease), ("increase", lang.change.increase))
        self.verb_starts = TermGroup([terms for _, terms in self.verbs])

    def find(
        self,
        tokens: Sequence[Token],
        text: str,
        masked: set[int],
        earlier: Sequence[Figure] = (),
    ) -> list[Figure]:
        """Figures of one sentence; `earlier` are the previous sentence's, for «оның 395-сі»."""
        figures: list[Figure] = []
        amounts = self.amounts.read(tokens, text, masked)
        for n, amount in enumerate(amounts):
            following = amounts[n + 1] if n + 1 < len(amounts) else None
            floor = amounts[n - 1].last + 1 if n else 0
            figure = self._figure(amount, tokens, text, figures, earlier, following, floor)
            if figure is not None and _restates(figures, figure):
                continue  # «1 500 (полторы тысячи) человек»: the words in brackets repeat it
            if figure is not None:
                figures.append(figure)
        return figures

    def _figure(
        self,
        amount: Amount,
        tokens: Sequence[Token],
        text: str,
        before: list[Figure],
        earlier: Sequence[Figure],
        following: Amount | None = None,
        floor: int = 0,
    ) -> Figure | None:
        if self._is_nonfigure(amount, tokens, text):
            return None
        unit = self.unit_choice.unit_for(amount, tokens, text, before, earlier, following, floor)
        if unit is None:
            return None
        if amount.words_only and not self._counts_noun(amount, unit, tokens, text):
            return None
        return self._build(amount, unit, tokens, text)

    def _counts_noun(self, amount: Amount, unit: Unit, tokens: Sequence[Token], text: str) -> bool:
        """A number in words counts a noun close after it; a lone «one» (mostly an article, or
        «per one») only the noun right after it, in the forms the language allows."""
        if amount.value >= 2:
            return self.units.close_to(amount, unit, tokens, text)
        numbers, first, after = self.lang.numbers, amount.first, unit.last + 1
        return (
            amount.value == 1
            and first == amount.last
            and unit.first == first + 1
            and unit.name not in numbers.lone_one_not_units
            and numbers.lone_one.match_at(tokens, first, text) is not None
            and (numbers.lone_one_endings is None or unit.ending in numbers.lone_one_endings)
            and (first == 0 or tokens[first - 1].norm not in numbers.lone_one_not_after)
            and (after >= len(tokens) or tokens[after].norm not in numbers.lone_one_not_before)
        )

    def _build(self, amount: Amount, unit: Unit, tokens: Sequence[Token], text: str) -> Figure:
        value = amount.value
        if amount.thousands_value is not None and unit.name not in COUNTLESS_UNITS:
            value = amount.thousands_value
        value, high = value * unit.share, amount.value_max
        if high is not None:
            high *= unit.share
        ranged = amount.value_max is not None
        qualifier, q_fired = self._qualifier(tokens, amount.first, (amount.last, unit.last), text, ranged)
        if not qualifier and amount.ending in self.lang.qualifier_endings:
            qualifier = self.lang.qualifier_endings[amount.ending]
            q_fired = (f"{self.lang.code}.qualifiers.endings:{amount.ending}",)
        ending = unit.ending if unit.last > amount.last else amount.ending
        measure, sign, marker, c_fired = self._change(tokens, amount.first, unit.last, ending, text)
        if marker == "to" and qualifier == "up_to" and measure == "level" and c_fired:
            qualifier = ""
        start = tokens[amount.first].start
        end = tokens[max(unit.last, amount.last)].end
        fired = amount.fired + unit.fired + q_fired + c_fired
        last = max(unit.last, amount.last)
        high = None if high is None else sign * high
        found = (amount.first, last, sign * value, unit.name, qualifier, measure, marker, fired, high)
        return new_tuple(Figure, (start, end, *found))

    def _is_nonfigure(self, amount: Amount, tokens: Sequence[Token], text: str) -> bool:
        return qualify.is_nonfigure(self.lang, amount, tokens, text)

    def _qualifier(
        self, tokens: Sequence[Token], first: int, lasts: tuple[int, ...], text: str, ranged: bool = False
    ) -> tuple[str, tuple[str, ...]]:
        return qualify.qualifier(self.lang, tokens, first, lasts, text, ranged)

    def _change(
        self, tokens: Sequence[Token], first: int, last: int, ending: str, text: str
    ) -> tuple[str, int, str, tuple[str, ...]]:
        """(measure, sign, marker, fired) from change verbs and by/to/from markers."""
        marker = _marker(self.lang.change, tokens, first, last, ending, text)
        verb = self._nearest_verb(tokens, first, last, text)
        if verb is None:
            return "level", 1, marker, ()
        direction, distance, term = verb
        fired = (f"{self.lang.code}.change.{direction}:{term}",)
        if marker == "by" or (marker == "" and distance == 1):
            return "change", -1 if direction == "decrease" else 1, "by", fired
        return "level", 1, marker, fired if marker else ()

    def _nearest_verb(
        self, tokens: Sequence[Token], first: int, last: int, text: str
    ) -> tuple[str, int, str] | None:
        change = self.lang.change
        best = None
        start = first if change.verb_side == "after" else max(0, first - change.window)
        for k in range(start, min(len(tokens), last + 1 + change.window)):
            if (first <= k <= last) or tokens[k].kind != "word":
                continue
            for which in self.verb_starts.sets_at(tokens[k]):  # most words start no verb
                direction, terms = self.verbs[which]
                match = terms.match_at(tokens, k, text)
                if match is None or _superlative(change, tokens, k, text):
                    continue
                distance = k - last if k > last else first - match.last
                signed = distance if k > last else -distance
                if best is None or abs(signed) < abs(best[1]):
                    best = (direction, signed, match.term)
        return best


def _marker(
    change: ChangeData, tokens: Sequence[Token], first: int, last: int, ending: str, text: str
) -> str:
    if ending_at(change.from_before, tokens, first - 1, text) or ending in change.from_suffixes:
        return "from"
    if ending_at(change.to_before, tokens, first - 1, text) or (
        last + 1 < len(tokens) and change.to_after.match_at(tokens, last + 1, text)
    ):
        return "to"
    if ending_at(change.by_before, tokens, first - 1, text) or ending in change.by_suffixes:
        return "by"
    return ""


def _superlative(change: ChangeData, tokens: Sequence[Token], k: int, text: str) -> bool:
    """«Больше всего семей …», «ең көп алушы …»: the most, the least, no change."""
    words = change.superlatives
    return words.match_at(tokens, k, text) is not None or ending_at(words, tokens, k, text) is not None


def _restates(figures: Sequence[Figure], figure: Figure) -> bool:
    """The figure stands inside the previous one's span and says the same amount."""
    last = figures[-1] if figures else None
    return last is not None and last.start < figure.start < last.end and last.value == figure.value
