"""Figures: an amount with its unit, qualifier and sign, found in one sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extractor import qualify
from extractor.langdata import ChangeData, LanguageData
from extractor.numbers import Amount, AmountReader
from extractor.terms import ending_at
from extractor.tokens import Token
from extractor.units import COUNTLESS_UNITS, Unit, UnitFinder

_CLAUSE_END = regex.compile(r"[,.;:!?)»\"”–—]")


@dataclass(frozen=True)
class Figure:
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
        unit = self._unit_for(amount, tokens, text, before, earlier, following, floor)
        if unit is None:
            return None
        if amount.words_only and (amount.value < 2 or not self.units.close_to(amount, unit, tokens, text)):
            return None  # «бір» is mostly an article; a number in words counts a noun close after it
        return self._build(amount, unit, tokens, text)

    def _unit_for(
        self,
        amount: Amount,
        tokens: Sequence[Token],
        text: str,
        before: list[Figure],
        earlier: Sequence[Figure],
        following: Amount | None,
        floor: int = 0,
    ) -> Unit | None:
        """Its own unit, a partitive's, a noun's before it, an elided one, or the next amount's."""
        units = self.units
        # a currency sign just before the number («$1,2 млн в … комплекса») wins over a noun after it
        unit = units.sign_before(amount, tokens, text) or units.after(amount, tokens, text)
        partitive = self._partitive(amount, tokens, text, unit)
        if partitive:
            unit = self._part_of(amount, tokens, text, unit, partitive, (before, earlier))
        if unit is None:
            unit = units.partitive_noun(amount, tokens, text)
        if unit is None:
            unit = units.before(amount, tokens, text, floor, dash=False)
        listed = amount.ending or _ends_clause(tokens, amount.last, text)
        if unit is None and before and (listed or units.continues_list(amount, tokens, text)):
            # «33 759 адамнан 27 007-ге», «636 грантов, а … – 239»: the noun is left out
            unit = Unit(before[-1].unit, amount.last, ("elided_unit",), amount.ending)
        if unit is None:
            unit = units.before(amount, tokens, text, floor)  # «Получателей АСП – 48 тысяч»
        if unit is None and following is not None:
            unit = self._shared_unit(amount, following, tokens, text)
        return unit

    def _part_of(
        self,
        amount: Amount,
        tokens: Sequence[Token],
        text: str,
        unit: Unit | None,
        partitive: str,
        figures: tuple[Sequence[Figure], Sequence[Figure]],
    ) -> Unit | None:
        """A partitive («олардың 11 мыңы», «из них 1 240 – дети») counts the noun named before
        it, the predicate noun after it, or else the figure it is a part of."""
        if unit is not None and (partitive == "before" or self.units.is_predicate(unit, tokens, text)):
            return unit  # «в том числе 11 тысяч детей», «оның 1 240-ы балалар»
        named = self.units.partitive_noun(amount, tokens, text)
        if named is not None:
            return named  # «жұмыссыздардың 35-і»
        money = partitive == "before"  # «из них 3,2 млрд»: a part of a sum is money too
        antecedent = _last_counted(figures[0], money) or _last_counted(figures[1], money)
        if antecedent is None:
            return unit
        last, ending = (unit.last, unit.ending) if unit else (amount.last, amount.ending)
        return Unit(antecedent.unit, last, ("partitive",), ending)

    def _build(self, amount: Amount, unit: Unit, tokens: Sequence[Token], text: str) -> Figure:
        value = amount.value
        if amount.thousands_value is not None and unit.name not in COUNTLESS_UNITS:
            value = amount.thousands_value
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
        return Figure(
            start,
            end,
            amount.first,
            max(unit.last, amount.last),
            sign * value,
            unit.name,
            qualifier,
            measure,
            marker,
            fired,
            None if amount.value_max is None else sign * amount.value_max,
        )

    def _shared_unit(
        self, amount: Amount, following: Amount, tokens: Sequence[Token], text: str
    ) -> Unit | None:
        """«с 12,4 тыс. до 9,8 тыс. человек»: a starting level takes the unit of the end one."""
        change = self.lang.change
        if ending_at(change.from_before, tokens, amount.first - 1, text) is None:
            return None
        if ending_at(change.to_before, tokens, following.first - 1, text) is None:
            return None
        unit = self.units.after(following, tokens, text)
        return Unit(unit.name, amount.last, ("shared_unit",), amount.ending) if unit else None

    def _is_nonfigure(self, amount: Amount, tokens: Sequence[Token], text: str) -> bool:
        return qualify.is_nonfigure(self.lang, amount, tokens, text)

    def _partitive(self, amount: Amount, tokens: Sequence[Token], text: str, unit: Unit | None) -> str:
        """ "joined" for «27 964-і», «11 мыңы», «370 мыңға жуығы»: the noun after is not its
        unit; "before" for «олардың 870», «в том числе 11 тысяч детей»: it may have one."""
        if unit is not None and unit.name in COUNTLESS_UNITS:
            return ""
        numbers = self.lang.numbers
        k = amount.last + 1
        if amount.partitive or (
            k < len(tokens) and numbers.partitive_words.match_at(tokens, k, text) is not None
        ):
            return "joined"
        if ending_at(numbers.partitive_before, tokens, amount.first - 1, text) is not None:
            return "before"
        return ""

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
            if first <= k <= last:
                continue
            for direction, terms in (("decrease", change.decrease), ("increase", change.increase)):
                match = terms.match_at(tokens, k, text)
                if match is None:
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



def _ends_clause(tokens: Sequence[Token], index: int, text: str) -> bool:
    """Nothing but punctuation follows the token before the clause or sentence ends."""
    if index + 1 == len(tokens):
        return True
    return bool(_CLAUSE_END.search(text[tokens[index].end : tokens[index + 1].start]))


def _restates(figures: Sequence[Figure], figure: Figure) -> bool:
    """The figure stands inside the previous one's span and says the same amount."""
    last = figures[-1] if figures else None
    return last is not None and last.start < figure.start < last.end and last.value == figure.value


def _last_counted(figures: Sequence[Figure], money: bool = False) -> Figure | None:
    """The figure a partitive one («олардың 11 мыңы») is a part of: a count (or a sum)."""
    skipped = COUNTLESS_UNITS if money else (*COUNTLESS_UNITS, "KZT")
    for figure in reversed(figures):
        if figure.unit not in skipped:
            return figure
    return None
