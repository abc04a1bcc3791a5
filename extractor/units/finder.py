"""Units: which noun a number counts: after it, before it («алушылар саны 650 мыңға»), or in a
partitive («жұмыссыздардың 35-і», «из них 1 240 – дети»).

UnitFinder is the one door for the figure reader; it searches after the number itself and
hands the search before it (extractor/units/before.py) and the checks on what was found
(extractor/units/checks.py) to their own parts. Unit words and rules: extractor/units/words.py."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extractor.langdata import LanguageData
from extractor.numbers.amounts import Amount
from extractor.numbers.rules import nonfigure_rules, number_rules
from extractor.tokens import Token
from extractor.units.before import UnitBefore
from extractor.units.checks import UnitChecks
from extractor.units.words import COUNTLESS_UNITS, DASH, Unit, UnitNouns, qualifiers_end

__all__ = ["COUNTLESS_UNITS", "Unit", "UnitFinder"]  # what the figure reader takes from here

_UNIT_STOP = regex.compile(r"[,;:()!?«»\"“”\p{Sc}]|\s[–—-]\s|\.\s")
_ASIDE = regex.compile(r"\s*\([^()\n]{1,60}\)")
_OPENING = regex.compile(r"[«“„\"]\s*$")
_CLOSING = regex.compile(r"\s*[»”\"]")


class UnitFinder:
    """Finds the unit of an amount with one language's unit words."""

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.nouns = UnitNouns(lang)
        self.rules = self.nouns.rules
        self._before = UnitBefore(self.nouns)
        self._checks = UnitChecks(lang)

    def after(self, amount: Amount, tokens: Sequence[Token], text: str) -> Unit | None:
        """The first unit word within the window after the number, in its clause."""
        k = amount.last + 1
        sign = self._sign(text[tokens[amount.last].end : tokens[k].start if k < len(tokens) else None])
        if sign is not None:
            return Unit(sign, amount.last, self.nouns.fired(sign, "sign"), amount.ending)
        gap = text[tokens[k - 1].end : tokens[k].start] if k < len(tokens) else ""
        if k < len(tokens) and tokens[k].kind == "pct" and not gap.strip():
            return Unit("percent", k, self.nouns.fired("percent", "%"), tokens[k].suffix)
        if k < len(tokens) and not gap.strip() and (subunit := self._subunit(tokens, k, text)) is not None:
            return subunit  # «50 тиын» alone: a part of a tenge («5 теңге 50 тиын» is joined before)
        part = self.lang.numbers.partitive_words.match_at(tokens, k, text) if k < len(tokens) else None
        d = part.last + 1 if part is not None else k
        if d < len(tokens) and DASH.match(text[tokens[d - 1].end : tokens[d].start]):
            return self._predicate(tokens, d, text)  # «из них 1 240 – дети», «13 мыңнан астамы – балалар»
        qualified = qualifiers_end(self.lang, amount, tokens, text)
        if amount.ending in self.rules.inflected_endings and qualified == amount.last + 1:
            return None  # «сағат 5-те жүргізушілер»: a number in a case modifies no noun after it
        if qualified > k and qualified < len(tokens) and nonfigure_rules(self.lang.code).next_word.match_at(
            tokens, qualified, text
        ):
            return None  # «30-ға жуық жыл»: a duration, its qualifier between
        return self._noun_after(amount, tokens, text, qualified)

    def _noun_after(self, amount: Amount, tokens: Sequence[Token], text: str, qualified: int) -> Unit | None:
        """The first unit word within the window, in the clause; the qualifiers right after the
        number («26 мыңға жуық шағын және орта бизнес өкілі») are not counted in the window."""
        k, words = amount.last + 1, 0
        while k < len(tokens) and words < self.lang.unit_window:
            if k < qualified:
                words -= 1
            gap = text[tokens[k - 1].end : tokens[k].start]
            aside = _ASIDE.match(text, tokens[k - 1].end)
            if aside is not None:  # «1 500 (полторы тысячи) человек»
                k = _first_after(tokens, aside.end(), k)
                if k >= len(tokens):
                    return None
                gap = text[aside.end() : tokens[k].start]
            if k == amount.last + 1 and tokens[k - 1].norm in self.lang.abbreviations:
                gap = gap.removeprefix(".")  # «1 354,6 тыс. человек»
            if k > amount.last + 1 and tokens[k - 1].norm.endswith(self.lang.modifier_endings or ("\0",)):
                gap = gap.replace(",", "", 1)  # «2 905 многодетных, малообеспеченных … семей»
            if tokens[k].kind != "word" or _UNIT_STOP.search(gap):
                return None
            if self.rules.stop_words.match_at(tokens, k, text) is not None:
                return None  # «40 млн рублей»: a sum in another currency, not a count
            if k == amount.last + 1 and tokens[k].norm.endswith(self.rules.verb_endings or ("\0",)):
                return None  # «ещё 186 получили гранты»: the number is the subject, not the grants
            if k == amount.last + 1 or tokens[k - 1].norm not in self.lang.prepositions:
                unit = self.nouns.noun_at(tokens, k, text)  # «3 180 … в центрах занятости безработных»
                if unit is not None:
                    return None if _quoted_name(amount, unit, tokens, text) else unit
            k += 1
            words += 1
        return None

    def _subunit(self, tokens: Sequence[Token], k: int, text: str) -> Unit | None:
        numbers = number_rules(self.lang.code)
        match = numbers.subunits.match_at(tokens, k, text) if numbers.subunit_unit else None
        if match is None:
            return None
        ending = numbers.subunits.suffix_of(match, tokens[match.last])
        fired = self.nouns.fired(numbers.subunit_unit, match.term)
        return Unit(numbers.subunit_unit, match.last, fired, ending, k, float(str(match.label)))

    def _sign(self, gap: str) -> str | None:
        stripped = gap.strip(" \u00a0\u202f")
        return self.rules.signs.get(stripped[:1]) if stripped[:1] in self.rules.signs else None

    def sign_before(self, amount: Amount, tokens: Sequence[Token], text: str) -> Unit | None:
        """«$500», «₸ 25 000»: a sign just before the number."""
        start = tokens[amount.first - 1].end if amount.first else 0
        gap = text[start : tokens[amount.first].start].strip(" \u00a0\u202f")
        sign = self.rules.signs.get(gap[-1:]) if gap and len(gap) == 1 else None
        return Unit(sign, amount.last, self.nouns.fired(sign, "sign"), amount.ending) if sign else None

    def _predicate(self, tokens: Sequence[Token], k: int, text: str) -> Unit | None:
        """A unit noun right after a dash («31 260 – дети до 18 лет») is what the number counts."""
        unit = self.nouns.noun_at(tokens, k, text) if k < len(tokens) else None
        if unit is None or unit.name in COUNTLESS_UNITS:
            return None
        endings = self.rules.predicate_endings
        return unit if not endings or unit.ending in endings else None

    # The search before the number and the checks live apart; the figure reader asks here.

    def partitive_noun(self, amount: Amount, tokens: Sequence[Token], text: str) -> Unit | None:
        return self._before.partitive_noun(amount, tokens, text)

    def before(
        self, amount: Amount, tokens: Sequence[Token], text: str, floor: int, dash: bool = True
    ) -> Unit | None:
        return self._before.before(amount, tokens, text, floor, dash)

    def close_to(self, amount: Amount, unit: Unit, tokens: Sequence[Token], text: str) -> bool:
        return self._checks.close_to(amount, unit, tokens, text)

    def is_predicate(self, unit: Unit, tokens: Sequence[Token], text: str) -> bool:
        return self._checks.is_predicate(unit, tokens, text)

    def continues_list(self, amount: Amount, tokens: Sequence[Token], text: str) -> bool:
        return self._checks.continues_list(amount, tokens, text)


def _quoted_name(amount: Amount, unit: Unit, tokens: Sequence[Token], text: str) -> bool:
    """«Бес әлеуметтік бастама» жобасы, «100 конкретных шагов»: a number that opens a quoted
    name whose noun closes it names a programme; it counts nothing."""
    start = tokens[amount.first - 1].end if amount.first else 0
    end = tokens[unit.last + 1].start if unit.last + 1 < len(tokens) else len(text)
    return bool(_OPENING.search(text[start : tokens[amount.first].start])) and bool(
        _CLOSING.match(text[tokens[unit.last].end : end])
    )


def _first_after(tokens: Sequence[Token], offset: int, start: int) -> int:
    return next((i for i in range(start, len(tokens)) if tokens[i].start >= offset), len(tokens))
