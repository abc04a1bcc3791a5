"""Unit words: the rules of units.yaml and which unit a word names. The searches that use
them (extractor/units/finder.py after the number, units/before.py before it) and the
checks on what they find (units/checks.py) share these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import regex

from extractor.langdata import PATTERNS_DIR, LanguageData
from extractor.numbers.amounts import Amount
from extractor.numbers.rules import qualifier_rules
from extractor.schema import PatternFile
from extractor.terms import TermMatch, TermSet, normalize_word
from extractor.tokens import Token, new_tuple

COUNTLESS_UNITS = ("percent", "times")
NOT_COUNTED = (*COUNTLESS_UNITS, "KZT")  # a noun before a number names a count, never a sum
CLAUSE_STOP = regex.compile(r"[,;:()!?«»\"“”]|\.\s")  # a dash may stand inside the clause
DASH = regex.compile(r"^\s*[–—:-]\s*$")

# Parts of speech (where a tagger ran) of words that look like unit words but are not:
# names. Verbs stay possible units: Kazakh verbal nouns («жүгіну») are tagged VERB.
NOT_UNITS = frozenset({"PROPN"})


class Unit(NamedTuple):
    name: str
    last: int  # token index of the unit's last word (the amount's last when borrowed)
    fired: tuple[str, ...]
    ending: str = ""  # case ending after the unit's stem («адамға» -> «ға»)
    first: int = -1  # token index of the unit's first word, where it stands after the number
    share: float = 1.0  # a subunit's part of its unit: «50 тиын» is 0.5 KZT


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
    verb_endings: tuple[str, ...]  # «ещё 186 получили гранты»: a verb right after the number


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
        verb_endings=tuple(f.forms("verb_endings", [])),
    )


def _endings(f: PatternFile, key: str) -> tuple[str, ...]:
    """A list of endings that may hold the empty one (a word with no ending)."""
    value = f.get(key, []) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise f.error(key, "must be a list of strings")
    return tuple(value)


class UnitNouns:
    """Which unit a word names, with one language's unit words."""

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.rules = unit_rules(lang.code)

    def fired(self, label: str, term: str) -> tuple[str, ...]:
        return (f"{self.lang.code}.units.{label}:{term}",)

    def noun_at(self, tokens: Sequence[Token], k: int, text: str) -> Unit | None:
        """The unit a word names; of a compound («детей-сирот»), the part that names it best."""
        token = tokens[k]
        match = self.lang.units.match_at(tokens, k, text)
        if match is not None and tokens[match.last].upos in NOT_UNITS:
            return None  # «Семей» the city, not «семей» the families: the tagger tells them apart
        if "-" in token.norm and (match is None or "-" not in match.term):
            return self._compound(token, k) or unit_of(match, self.lang.units, tokens, self.fired)
        return unit_of(match, self.lang.units, tokens, self.fired)

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
        return Unit(best[0], k, self.fired(best[0], best[1]), found[-1][2], k)


def unit_of(
    match: TermMatch | None,
    units: TermSet,
    tokens: Sequence[Token],
    fired: Callable[[str, str], tuple[str, ...]],
) -> Unit | None:
    """The unit a term match names, with the case ending on its last word."""
    if match is None:
        return None
    ending = units.suffix_of(match, tokens[match.last])
    unit = (str(match.label), match.last, fired(str(match.label), match.term), ending, match.first, 1.0)
    return new_tuple(Unit, unit)


def qualifiers_end(lang: LanguageData, amount: Amount, tokens: Sequence[Token], text: str) -> int:
    """The index of the first word after the number's qualifiers («100-ден астам», «500-ден көп»)."""
    k = amount.last + 1
    after, comparative = lang.qualifiers_after, qualifier_rules(lang.code).comparative
    while k < len(tokens) and tokens[k].kind == "word":
        match = after.match_at(tokens, k, text) or comparative.match_at(tokens, k, text)
        if match is None or CLAUSE_STOP.search(text[tokens[k - 1].end : tokens[k].start]):
            break
        k = match.last + 1
    return k
