"""Checks on a unit once found: does a number in words count it, is it a predicate noun,
does a number go on a list. Apart from the search (extractor/units/finder.py, before.py):
they decide whether what was found is kept, not where to look."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extractor.langdata import LanguageData
from extractor.numbers.amounts import Amount
from extractor.tokens import Token
from extractor.units.words import COUNTLESS_UNITS, Unit, qualifiers_end, unit_rules

_CLAUSE_END = regex.compile(r"[,.;:!?)»\"”–—]")


class UnitChecks:
    """Yes-or-no questions about a number and its unit, with one language's unit rules."""

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.rules = unit_rules(lang.code)

    def close_to(self, amount: Amount, unit: Unit, tokens: Sequence[Token], text: str) -> bool:
        """A number in words counts only a noun close after it: at most `number_word_gap` words
        between, qualifiers aside («жүзден астам жүк көлігі», «он бес жаңа заманауи мектеп»)."""
        if unit.first < 0 or unit.last <= amount.last:
            return True  # a unit borrowed, before the number, or joined to it
        start = qualifiers_end(self.lang, amount, tokens, text)
        if any(self._numeral_like(tokens[k]) for k in range(start, unit.first)):
            return False  # «Жиырма төртінде …», «он жеті қырық екіде»: a date or a time in words
        return unit.first - start <= self.rules.word_gap

    def _numeral_like(self, token: Token) -> bool:
        """A number word with an ending the number reader does not take («төртінде», «екіде»)."""
        numbers, word = self.lang.numbers, token.norm
        return any(
            numbers.add_words.matches_word(word[:n]) is not None
            or numbers.multiply_words.matches_word(word[:n]) is not None
            for n in range(3, len(word))
        )

    def is_predicate(self, unit: Unit, tokens: Sequence[Token], text: str) -> bool:
        """«оның ішінде 1 240-ы балалар»: a noun after a partitive number that ends the clause
        in the nominative names what the number counts."""
        endings = self.rules.predicate_endings
        return (
            unit.name not in COUNTLESS_UNITS
            and _ends_clause(tokens, unit.last, text)
            and (not endings or unit.ending in endings)
        )

    def continues_list(self, amount: Amount, tokens: Sequence[Token], text: str) -> bool:
        """«…, ещё 2 315 направлены»: the number adds to the list before it."""
        k = amount.first - 1
        return k >= 0 and any(
            (m := self.rules.additive_before.match_at(tokens, j, text)) is not None and m.last == k
            for j in range(max(0, k - 1), k + 1)
        )


def _ends_clause(tokens: Sequence[Token], index: int, text: str) -> bool:
    """Nothing but punctuation follows the token before the clause or sentence ends."""
    if index + 1 >= len(tokens):
        return True
    return bool(_CLAUSE_END.search(text[tokens[index].end : tokens[index + 1].start]))
