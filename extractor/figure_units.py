"""Which unit a figure takes: its own, a partitive's, a noun's before it, one left out of a
list, or the next amount's. Apart from extractor/figures.py because it is the one part of
reading a figure that looks at the figures around it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import regex

from extractor.langdata import LanguageData
from extractor.numbers import Amount
from extractor.terms import ending_at
from extractor.tokens import Token
from extractor.units import COUNTLESS_UNITS, Unit, UnitFinder
from extractor.units.unlisted import UnlistedNouns

if TYPE_CHECKING:  # annotations only: figures.py imports this module
    from extractor.figures import Figure

_CLAUSE_END = regex.compile(r"[,.;:!?)»\"”–—]")


class FigureUnits:
    """Chooses the unit of each amount of a sentence with one language's patterns."""

    def __init__(self, lang: LanguageData, units: UnitFinder) -> None:
        self.lang = lang
        self.units = units
        self.unlisted = UnlistedNouns(lang)

    def unit_for(
        self,
        amount: Amount,
        tokens: Sequence[Token],
        text: str,
        before: list[Figure],
        earlier: Sequence[Figure],
        following: Amount | None,
        floor: int = 0,
    ) -> Unit | None:
        """Its own unit, a partitive's, a noun's before it, an elided one, the next amount's,
        or else a noun no unit word names right after it."""
        units, unlisted = self.units, self.unlisted.rules.unit
        if unlisted and before and before[-1].unit == unlisted:
            before = []  # a generic unit passes to no other number: «48 мүйіз, 12-сі» says nothing of 12
        if unlisted and earlier and earlier[-1].unit == unlisted:
            earlier = ()
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
        if unit is None:
            unit = self.unlisted.noun_after(amount, tokens, text)  # «48 мүйіз»: a noun no lexicon names
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


def _ends_clause(tokens: Sequence[Token], index: int, text: str) -> bool:
    """Nothing but punctuation follows the token before the clause or sentence ends."""
    if index + 1 == len(tokens):
        return True
    return bool(_CLAUSE_END.search(text[tokens[index].end : tokens[index + 1].start]))


def _last_counted(figures: Sequence[Figure], money: bool = False) -> Figure | None:
    """The figure a partitive one («олардың 11 мыңы») is a part of: a count (or a sum)."""
    skipped = COUNTLESS_UNITS if money else (*COUNTLESS_UNITS, "KZT")
    for figure in reversed(figures):
        if figure.unit not in skipped:
            return figure
    return None
