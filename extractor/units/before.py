"""The unit of a number named before it: a counted noun beside a count word («алушылар саны
… 650 мыңға»), a noun before a dash («Получателей АСП – 48 тысяч»), or the whole a
partitive number is a part of («жұмыссыздардың 35-і»)."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extractor.numbers.amounts import Amount
from extractor.terms import TermMatch
from extractor.tokens import Token
from extractor.units.words import CLAUSE_STOP, DASH, NOT_COUNTED, Unit, UnitNouns, unit_of

_SENTENCE_END = regex.compile(r"[.!?]\s*$")


class UnitBefore:
    """Looks back from a number for the noun it counts, with one language's unit words."""

    def __init__(self, nouns: UnitNouns) -> None:
        self.nouns = nouns
        self.rules = nouns.rules

    def partitive_noun(self, amount: Amount, tokens: Sequence[Token], text: str) -> Unit | None:
        """«жұмыссыздардың 35-і», «из безработных 1 200»: the counted noun just before."""
        k = amount.first - 1
        for first in range(max(0, k - 2), k + 1):
            unit = self.nouns.noun_at(tokens, first, text) if k >= 0 else None
            if unit is None or unit.last != k or unit.name in NOT_COUNTED:
                continue
            if unit.ending.endswith(self.rules.genitive_endings or ("\0",)) or (
                first > 0 and tokens[first - 1].norm in self.rules.partitive_prepositions
            ):
                return Unit(unit.name, amount.last, ("partitive",) + unit.fired, amount.ending)
        return None

    def before(
        self, amount: Amount, tokens: Sequence[Token], text: str, floor: int, dash: bool = True
    ) -> Unit | None:
        """«алушылар саны … 650 мыңға жетті», «Получателей АСП – 48 тысяч»: a noun before;
        with `dash` False only the first kind (a list's «а семьи – 239» elides the list's unit)."""
        words = 0
        for k in range(amount.first - 1, floor - 1, -1):
            gap = text[tokens[k].end : tokens[k + 1].start]
            if CLAUSE_STOP.search(gap) or words > self.rules.before_window:
                return None
            if DASH.match(gap):
                found = self._before_dash(tokens, k, text, floor) if dash else None
                return Unit(found.name, amount.last, found.fired, amount.ending) if found else None
            if tokens[k].kind == "word":
                words += 1
                count = self.rules.count_words.match_at(tokens, k, text)
                if count is not None and count.last < amount.first:
                    found = self._counted(tokens, count, amount.first, floor, text)
                    return Unit(found.name, amount.last, found.fired, amount.ending) if found else None
        return None

    def _counted(
        self, tokens: Sequence[Token], count: TermMatch, end: int, floor: int, text: str
    ) -> Unit | None:
        if self.rules.count_noun_side == "after":
            places = range(count.last + 1, min(end, count.last + 4))
        else:
            places = range(count.first - 1, max(floor, count.first - 4) - 1, -1)
        count_nouns = self.rules.count_nouns
        for k in places:
            if CLAUSE_STOP.search(text[tokens[k].end : tokens[k + 1].start]):
                break
            unit = self.nouns.noun_at(tokens, k, text) or unit_of(
                count_nouns.match_at(tokens, k, text), count_nouns, tokens, self.nouns.fired
            )
            if unit is not None and unit.name not in NOT_COUNTED and unit.last < end:
                return Unit(unit.name, end - 1, ("count_noun",) + unit.fired, "")
        return None

    def _before_dash(self, tokens: Sequence[Token], dash: int, text: str, floor: int) -> Unit | None:
        """«АӘК алушылар – 4 500», «Получателей жилищной помощи – 4 800»: a counted noun within
        three words before the dash, the phrase's head (first or last, as the language puts it);
        or further back in the clause where a name stands between («Больше всего пенсионеров
        обслужено в Павлодарской области – 12 480»: the place is not what is counted)."""
        first = self._clause_start(tokens, dash, text, max(floor, dash - 2))
        found = self._noun_before_dash(tokens, dash, text, first, dash)
        if found is not None or first <= floor:
            return found
        start = self._clause_start(tokens, first, text, max(floor, dash - self.rules.before_window))
        named = [k for k in range(first, dash + 1) if tokens[k].text[:1].isupper()]
        return self._noun_before_dash(tokens, dash, text, start, first - 1) if named else None

    def _clause_start(self, tokens: Sequence[Token], k: int, text: str, floor: int) -> int:
        while k > floor and not CLAUSE_STOP.search(text[tokens[k - 1].end : tokens[k].start]):
            k -= 1
        return k

    def _noun_before_dash(
        self, tokens: Sequence[Token], dash: int, text: str, first: int, last: int
    ) -> Unit | None:
        head_first = self.rules.count_noun_side == "after"
        places = range(first, last + 1) if head_first else range(last, first - 1, -1)
        for k in places:
            unit = self.nouns.noun_at(tokens, k, text)
            if unit is None or unit.name in NOT_COUNTED or unit.last > dash:
                continue
            if k > 0 and tokens[k].text[:1].isupper() and not _starts_sentence(tokens, k, text):
                continue  # «Семей – 300»: a capital inside the sentence is a name
            return Unit(unit.name, dash, ("count_noun",) + unit.fired, "")
        return None


def _starts_sentence(tokens: Sequence[Token], k: int, text: str) -> bool:
    return k == 0 or bool(_SENTENCE_END.search(text[tokens[k - 1].end : tokens[k].start]))
