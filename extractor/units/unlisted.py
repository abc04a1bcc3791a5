"""A counted noun that no unit word names: «48 мүйіз табылды», «найдено 48 рогов».

SPEC asks for every figure, a count of anything included; the unit lexicons name the nouns
the press counts most, and this is the rest. A number right before a lower-case word that
no search for a unit took, where that word is no function word, verb, time word or other
word that follows a number without being counted (units.yaml, `unlisted_nouns`), counts it
with the generic unit of that section (`item`). `value_text` keeps the noun itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from extractor.langdata import PATTERNS_DIR, LanguageData
from extractor.numbers.amounts import Amount
from extractor.numbers.rules import nonfigure_rules, number_rules
from extractor.numbers.words import NumberWords
from extractor.places.gazetteer import gazetteer
from extractor.schema import PatternFile
from extractor.terms import TermSet, ending_at
from extractor.tokens import Token
from extractor.units.words import Unit, qualifiers_end, unit_rules

_GAP = frozenset(" \u00a0\u202f\u2009")
_OPENERS = frozenset('«“"')


@dataclass(frozen=True)
class UnlistedRules:
    """units.yaml's `unlisted_nouns`: which words after a number may be counted nouns."""

    unit: str  # the unit such a noun gets; empty: the language has no such rule
    not_words: TermSet  # words that follow a number without being what it counts
    not_endings: tuple[str, ...]  # endings of verb forms and adjectives (not «…ды»: a noun's accusative too)
    min_word_value: float  # a number in words below this counts only listed nouns («бір» is an article)
    min_length: int  # shorter words are abbreviations and particles
    not_after: TermSet  # words that make the number a label: «вопрос 4 повестки», «№ 5 мектеп»
    letters: regex.Pattern[str] | None  # the script a counted noun is written in, where only one
    demonym_suffixes: tuple[str, ...]  # «алматылық»: a place name with these is a person from there


@cache
def unlisted_rules(folder: Path) -> UnlistedRules:
    """The rules in a language folder's units.yaml (checked: errors name the file and key)."""
    f = PatternFile(folder / "units.yaml")
    if f.get("unlisted_nouns", None) is None:
        return UnlistedRules("", TermSet([]), (), 0.0, 0, TermSet([]), None, ())
    unit = f.get("unlisted_nouns.unit")
    if not isinstance(unit, str) or not unit.isascii() or not unit.islower():
        raise f.error("unlisted_nouns.unit", "must be a unit name in lower-case English")
    extra = f.get("unlisted_nouns.not_words_from", None)
    words = f.strings("unlisted_nouns.not_words", [])
    if extra is not None:  # a word list kept elsewhere (the stop words), in its `words` key
        if not isinstance(extra, str):
            raise f.error("unlisted_nouns.not_words_from", "must be a file name in the language's folder")
        words = words + PatternFile(f.path.parent / extra).strings("words")
    return UnlistedRules(
        unit,
        TermSet([(True, v) for w in words for v in f.variants(w)]),
        tuple(f.forms("unlisted_nouns.not_endings", [])),
        float(f.get("unlisted_nouns.min_word_value", 2)),
        f.integer("unlisted_nouns.min_length", 3),
        TermSet([(True, v) for w in f.strings("unlisted_nouns.not_after", []) for v in f.variants(w)]),
        _letters(f),
        tuple(f.forms("unlisted_nouns.demonym_suffixes", [])),
    )


def _letters(f: PatternFile) -> regex.Pattern[str] | None:
    value = f.get("unlisted_nouns.letters", None)
    if value is None:
        return None
    try:
        return regex.compile(str(value))
    except regex.error as exc:
        raise f.error("unlisted_nouns.letters", f"not a valid regular expression: {exc}") from exc


class UnlistedNouns:
    """The noun right after a number when the unit lexicon names none near it."""

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.rules = unlisted_rules(PATTERNS_DIR / lang.code)
        self._inflected = unit_rules(lang.code).inflected_endings
        numbers = number_rules(lang.code)
        self._words = NumberWords(lang.numbers, numbers, lang.code)
        self._not_nouns = (lang.numbers.scales, numbers.subunits, self.rules.not_words)
        self._like_numbers = numbers.not_numbers  # «бірде»: once, or «он бірде» (at eleven)

    def noun_after(self, amount: Amount, tokens: Sequence[Token], text: str) -> Unit | None:
        rules = self.rules
        if not rules.unit or (amount.words_only and amount.value < rules.min_word_value):
            return None
        if _year_like(amount, tokens) or _in_quotes(amount, tokens, text) or _fraction(amount, tokens, text):
            return None  # «екі мың он тоғыз …», «Ұлы даланың 7 қыры», «1/8 финалға»: a year, a name, a part
        if amount.first and ending_at(rules.not_after, tokens, amount.first - 1, text) is not None:
            return None  # «вопрос 4 повестки дня»: a label
        k = qualifiers_end(self.lang, amount, tokens, text)
        if k >= len(tokens) or not self._modifies(amount, tokens, k, text):
            return None
        token = tokens[k]
        if token.kind != "word" or not _spaced(text[tokens[k - 1].end : token.start]):
            return None
        if not self._may_be_noun(token, tokens, k, text):
            return None
        if _demonym(token.norm, rules.demonym_suffixes):  # «60-тан астам ақтөбелік»
            return Unit("person", k, (f"{self.lang.code}.units.demonym:{token.norm}",), "", k)
        fired = (f"{self.lang.code}.units.unlisted:{token.norm}",)
        return Unit(rules.unit, k, fired, "", k)

    def _modifies(self, amount: Amount, tokens: Sequence[Token], k: int, text: str) -> bool:
        """A bare number («48», «жүздей») modifies the noun after it; a number in a case only
        through a qualifier that is no postposition: «100-ден астам трактор», but «сағат 5-те
        жүргізушілер», «8-ге дейін ашық»; a number joined to a word («2-жартысында») nothing."""
        if not amount.ending or amount.ending in self.lang.qualifier_endings:
            return True
        if amount.ending not in self._inflected:
            return False
        between = range(amount.last + 1, k)
        return bool(between) and not any(self.rules.not_words.match_at(tokens, j, text) for j in between)

    def _may_be_noun(self, token: Token, tokens: Sequence[Token], k: int, text: str) -> bool:
        rules, word = self.rules, token.text
        if len(word) < rules.min_length or not word[0].islower() or token.upos == "PROPN":
            return False
        if rules.letters is not None and not rules.letters.fullmatch(word):
            return False  # «3 paıyz отчётов» in a Russian text
        if token.norm.endswith(rules.not_endings or ("\0",)) or self._words.word(token.norm) is not None:
            return False  # a verb form; a number word the reader did not join («он жетіде»)
        if token.norm in self._like_numbers:
            return False
        if any(words.match_at(tokens, k, text) is not None for words in self._not_nouns):
            return False  # a scale or a currency's subunit («5 тиын»), or a word of the list
        return nonfigure_rules(self.lang.code).next_word.match_at(tokens, k, text) is None


def _demonym(norm: str, suffixes: tuple[str, ...]) -> bool:
    """A place name of the gazetteer with a suffix of origin: «алматылықтар», «шымкенттік»."""
    for suffix in suffixes:
        at = norm.find(suffix, 3)
        if at > 0:
            stem, places = norm[:at], gazetteer()
            return stem in places.centres or places.mentions.matches_word(stem) is not None
    return False


def _year_like(amount: Amount, tokens: Sequence[Token]) -> bool:
    """An integer from 1800 to 2100 in four plain digits or in words reads as a year."""
    first = tokens[amount.first]
    plain = first.kind != "num" or (
        amount.first == amount.last and first.text.isdigit() and len(first.text) == 4
    )
    return plain and amount.value == int(amount.value) and 1800 <= amount.value <= 2100


def _fraction(amount: Amount, tokens: Sequence[Token], text: str) -> bool:
    """A number written beside a slash is a fraction's part or a ratio («1/8», «24/7»)."""
    start = tokens[amount.first - 1].end if amount.first else max(0, tokens[amount.first].start - 2)
    end = tokens[amount.last + 1].start if amount.last + 1 < len(tokens) else len(text)
    return "/" in text[start : tokens[amount.first].start] or "/" in text[tokens[amount.last].end : end]


def _in_quotes(amount: Amount, tokens: Sequence[Token], text: str) -> bool:
    """The number stands inside a quoted name: more quotes open than close before it in its
    sentence (whose opening quote, if any, stands before its first word)."""
    start = tokens[0].start
    while start and text[start - 1] in _OPENERS:
        start -= 1
    before = text[start : tokens[amount.first].start]
    return (
        before.count("«") > before.count("»")
        or before.count("“") > before.count("”")
        or before.count('"') % 2 == 1
    )


def _spaced(gap: str) -> bool:
    return bool(gap) and all(c in _GAP for c in gap)
