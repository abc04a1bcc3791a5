"""Units: which noun a number counts: after it, before it («алушылар саны 650 мыңға»), or in a
partitive («жұмыссыздардың 35-і», «из них 1 240 – дети»)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import regex

from extractor.langdata import PATTERNS_DIR, LanguageData
from extractor.number_rules import nonfigure_rules, qualifier_rules
from extractor.numbers import Amount
from extractor.schema import PatternFile
from extractor.terms import TermMatch, TermSet, normalize_word
from extractor.tokens import Token

COUNTLESS_UNITS = ("percent", "times")
NOT_COUNTED = (*COUNTLESS_UNITS, "KZT")  # a noun before a number names a count, never a sum
_UNIT_STOP = regex.compile(r"[,;:()!?«»\"“”\p{Sc}]|\s[–—-]\s|\.\s")
_CLAUSE_STOP = regex.compile(r"[,;:()!?«»\"“”]|\.\s")  # a dash may stand inside the clause
_DASH = regex.compile(r"^\s*[–—:-]\s*$")
_CLAUSE_END = regex.compile(r"[,.;:!?)»\"”–—]")
_ASIDE = regex.compile(r"\s*\([^()\n]{1,60}\)")
_OPENING = regex.compile(r"[«“„\"]\s*$")
_CLOSING = regex.compile(r"\s*[»”\"]")

# Parts of speech (where a tagger ran) of words that look like unit words but are not:
# names. Verbs stay possible units: Kazakh verbal nouns («жүгіну») are tagged VERB.
NOT_UNITS = frozenset({"PROPN"})


@dataclass(frozen=True)
class Unit:
    name: str
    last: int  # token index of the unit's last word (the amount's last when borrowed)
    fired: tuple[str, ...]
    ending: str = ""  # case ending after the unit's stem («адамға» -> «ға»)
    first: int = -1  # token index of the unit's first word, where it stands after the number


@dataclass(frozen=True)
class UnitRules:
    """What units.yaml says beyond the unit words themselves."""

    count_words: TermSet  # «саны», «численность»: the noun beside them names what follows
    count_noun_side: str  # where that noun stands: "before" («алушылар саны») or "after"
    count_nouns: TermSet  # nouns that name a unit only beside a count word («халықтың саны»)
    before_window: int  # words between a count word (or a dash) and the number
    genitive_endings: tuple[str, ...]  # «жұмыссыздардың 35-і»: the part of a counted noun
    partitive_prepositions: frozenset[str]  # «из безработных 1 200»
    predicate_endings: tuple[str, ...]  # «оның 1 240-ы балалар»: a noun that is the predicate
    compound_prefer: tuple[str, ...]  # «мүгедек-балалар»: the part with these units wins
    stop_words: TermSet  # words (other currencies) that end the search for a unit
    additive_before: TermSet  # «ещё 2 315 направлены»: a list goes on with the same noun
    signs: dict[str, str]  # «25 000 ₸»: a sign beside the number is its unit
    inflected_endings: frozenset[str]  # «сағат 5-те», «7-ден бері»: a number that modifies no noun
    word_gap: int  # words (qualifiers aside) between a number in words and its noun


@cache
def unit_rules(code: str) -> UnitRules:
    f = PatternFile(PATTERNS_DIR / code / "units.yaml")
    side = f.get("count_noun_side", "after")
    if side not in ("before", "after"):
        raise f.error("count_noun_side", "must be 'before' or 'after'")
    signs = f.get("signs", {}) or {}
    return UnitRules(
        count_words=f.terms("count_words", default=[]),
        count_noun_side=side,
        count_nouns=f.term_map("count_nouns", {}),
        before_window=f.integer("before_window", 6),
        genitive_endings=tuple(f.strings("genitive_endings", [])),
        partitive_prepositions=frozenset(normalize_word(w) for w in f.strings("partitive_prepositions", [])),
        predicate_endings=_endings(f, "predicate_endings"),
        compound_prefer=tuple(f.strings("compound_prefer", [])),
        stop_words=f.terms("stop_words", default=[]),
        additive_before=f.terms("additive_before", default=[]),
        signs={str(k): str(v) for k, v in signs.items()},
        inflected_endings=frozenset(f.strings("inflected_endings", [])),
        word_gap=f.integer("number_word_gap", 1),
    )


def _endings(f: PatternFile, key: str) -> tuple[str, ...]:
    """A list of endings that may hold the empty one (a word with no ending)."""
    value = f.get(key, []) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise f.error(key, "must be a list of strings")
    return tuple(value)


class UnitFinder:
    """Finds the unit of an amount with one language's unit words."""

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.rules = unit_rules(lang.code)

    def _fired(self, label: str, term: str) -> tuple[str, ...]:
        return (f"{self.lang.code}.units.{label}:{term}",)

    def noun_at(self, tokens: Sequence[Token], k: int, text: str) -> Unit | None:
        """The unit a word names; of a compound («детей-сирот»), the part that names it best."""
        token = tokens[k]
        match = self.lang.units.match_at(tokens, k, text)
        if match is not None and tokens[match.last].upos in NOT_UNITS:
            return None  # «Семей» the city, not «семей» the families: the tagger tells them apart
        if "-" in token.norm and (match is None or "-" not in match.term):
            return self._compound(token, k) or _unit(match, self.lang.units, tokens, self._fired)
        return _unit(match, self.lang.units, tokens, self._fired)

    def _compound(self, token: Token, k: int) -> Unit | None:
        found = []
        for part in token.norm.split("-"):
            single = Token("word", part, token.start, token.end, part)
            match = self.lang.units.match_at([single], 0, part)
            if match is not None:
                found.append((str(match.label), match.term, self.lang.units.suffix_of(match, single)))
        if not found:
            return None
        best = next((f for f in found if f[0] in self.rules.compound_prefer), found[0])
        return Unit(best[0], k, self._fired(best[0], best[1]), found[-1][2], k)

    def after(self, amount: Amount, tokens: Sequence[Token], text: str) -> Unit | None:
        """The first unit word within the window after the number, in its clause."""
        k = amount.last + 1
        sign = self._sign(text[tokens[amount.last].end : tokens[k].start if k < len(tokens) else None])
        if sign is not None:
            return Unit(sign, amount.last, self._fired(sign, "sign"), amount.ending)
        gap = text[tokens[k - 1].end : tokens[k].start] if k < len(tokens) else ""
        if k < len(tokens) and tokens[k].kind == "pct" and not gap.strip():
            return Unit("percent", k, self._fired("percent", "%"), tokens[k].suffix)
        part = self.lang.numbers.partitive_words.match_at(tokens, k, text) if k < len(tokens) else None
        d = part.last + 1 if part is not None else k
        if d < len(tokens) and _DASH.match(text[tokens[d - 1].end : tokens[d].start]):
            return self._predicate(tokens, d, text)  # «из них 1 240 – дети», «13 мыңнан астамы – балалар»
        qualified = self._qualifiers_after(amount, tokens, text)
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
            if k == amount.last + 1 or tokens[k - 1].norm not in self.lang.prepositions:
                unit = self.noun_at(tokens, k, text)  # «3 180 … в центрах занятости безработных»
                if unit is not None:
                    return None if _quoted_name(amount, unit, tokens, text) else unit
            k += 1
            words += 1
        return None

    def _qualifiers_after(self, amount: Amount, tokens: Sequence[Token], text: str) -> int:
        """The index of the first word after the number's qualifiers («100-ден астам», «500-ден көп»)."""
        k = amount.last + 1
        after, comparative = self.lang.qualifiers_after, qualifier_rules(self.lang.code).comparative
        while k < len(tokens) and tokens[k].kind == "word":
            match = after.match_at(tokens, k, text) or comparative.match_at(tokens, k, text)
            if match is None or _CLAUSE_STOP.search(text[tokens[k - 1].end : tokens[k].start]):
                break
            k = match.last + 1
        return k

    def close_to(self, amount: Amount, unit: Unit, tokens: Sequence[Token], text: str) -> bool:
        """A number in words counts only a noun close after it: at most `number_word_gap` words
        between, qualifiers aside («жүзден астам жүк көлігі», «он бес жаңа заманауи мектеп»)."""
        if unit.first < 0 or unit.last <= amount.last:
            return True  # a unit borrowed, before the number, or joined to it
        start = self._qualifiers_after(amount, tokens, text)
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

    def _sign(self, gap: str) -> str | None:
        stripped = gap.strip(" \u00a0\u202f")
        return self.rules.signs.get(stripped[:1]) if stripped[:1] in self.rules.signs else None

    def sign_before(self, amount: Amount, tokens: Sequence[Token], text: str) -> Unit | None:
        """«$500», «₸ 25 000»: a sign just before the number."""
        start = tokens[amount.first - 1].end if amount.first else 0
        gap = text[start : tokens[amount.first].start].strip(" \u00a0\u202f")
        sign = self.rules.signs.get(gap[-1:]) if gap and len(gap) == 1 else None
        return Unit(sign, amount.last, self._fired(sign, "sign"), amount.ending) if sign else None

    def _predicate(self, tokens: Sequence[Token], k: int, text: str) -> Unit | None:
        """A unit noun right after a dash («31 260 – дети до 18 лет») is what the number counts."""
        unit = self.noun_at(tokens, k, text) if k < len(tokens) else None
        if unit is None or unit.name in COUNTLESS_UNITS:
            return None
        endings = self.rules.predicate_endings
        return unit if not endings or unit.ending in endings else None

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

    def partitive_noun(self, amount: Amount, tokens: Sequence[Token], text: str) -> Unit | None:
        """«жұмыссыздардың 35-і», «из безработных 1 200»: the counted noun just before."""
        k = amount.first - 1
        for first in range(max(0, k - 2), k + 1):
            unit = self.noun_at(tokens, first, text) if k >= 0 else None
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
            if _CLAUSE_STOP.search(gap) or words > self.rules.before_window:
                return None
            if _DASH.match(gap):
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
        for k in places:
            if _CLAUSE_STOP.search(text[tokens[k].end : tokens[k + 1].start]):
                break
            unit = self.noun_at(tokens, k, text) or _unit(
                self.rules.count_nouns.match_at(tokens, k, text), self.rules.count_nouns, tokens, self._fired
            )
            if unit is not None and unit.name not in NOT_COUNTED and unit.last < end:
                return Unit(unit.name, end - 1, ("count_noun",) + unit.fired, "")
        return None

    def _before_dash(self, tokens: Sequence[Token], dash: int, text: str, floor: int) -> Unit | None:
        """«АӘК алушылар – 4 500», «Получателей жилищной помощи – 4 800»: a counted noun within
        three words before the dash, the phrase's head (first or last, as the language puts it)."""
        first = dash
        while first > max(floor, dash - 2) and not _CLAUSE_STOP.search(
            text[tokens[first - 1].end : tokens[first].start]
        ):
            first -= 1
        head_first = self.rules.count_noun_side == "after"
        places = range(first, dash + 1) if head_first else range(dash, first - 1, -1)
        for k in places:
            unit = self.noun_at(tokens, k, text)
            if unit is None or unit.name in NOT_COUNTED or unit.last > dash:
                continue
            if k > 0 and tokens[k].text[:1].isupper() and not _starts_sentence(tokens, k, text):
                continue  # «Семей – 300»: a capital inside the sentence is a name
            return Unit(unit.name, dash, ("count_noun",) + unit.fired, "")
        return None


def _unit(match: TermMatch | None, units: TermSet, tokens: Sequence[Token], fired) -> Unit | None:
    if match is None:
        return None
    ending = units.suffix_of(match, tokens[match.last])
    return Unit(str(match.label), match.last, fired(str(match.label), match.term), ending, match.first)


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


def _starts_sentence(tokens: Sequence[Token], k: int, text: str) -> bool:
    return k == 0 or bool(regex.search(r"[.!?]\s*$", text[tokens[k - 1].end : tokens[k].start]))


def _ends_clause(tokens: Sequence[Token], index: int, text: str) -> bool:
    """Nothing but punctuation follows the token before the clause or sentence ends."""
    if index + 1 >= len(tokens):
        return True
    return bool(_CLAUSE_END.search(text[tokens[index].end : tokens[index + 1].start]))
