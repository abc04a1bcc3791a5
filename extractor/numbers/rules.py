"""What numbers.yaml, nonfigures.yaml and qualifiers.yaml say beyond the basic lexicons:
decimals in words, endings on number words, ranges, currency subunits, the contexts that
make a number not a figure, and qualifiers that need a comparative case."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from extractor.langdata import PATTERNS_DIR
from extractor.schema import PatternFile
from extractor.terms import TermSet, normalize_word


@dataclass(frozen=True)
class NumberRules:
    point_words: TermSet  # «целых», «бүтін»: the decimal point of a number in words
    spoken_points: TermSet  # «он жеті де жеті»: a particle that reads as a point before one digit
    not_spoken: frozenset[str]  # «бір де бір»: phrases where it does not
    fraction_words: TermSet  # label: denominator («десятых» 10, «жүзден» 100)
    word_endings: tuple[str, ...]  # endings a number word may carry, longest first
    not_numbers: frozenset[str]  # words that only look like a number word with an ending
    subunits: TermSet  # label: fraction of the unit before («тиын» 0.01)
    subunit_unit: str  # the currency they are parts of: «50 тиын» alone is 0.5 of it
    dashes: tuple[str, ...]  # «10–15%»
    open_before: TermSet  # «от» 5 …
    close_before: TermSet  # … «до» 7 тысяч
    between: TermSet  # «3 пен 5 доллар»
    low_endings: frozenset[str]  # «5-тен» …
    high_endings: frozenset[str]  # … «7 мыңға» …
    close_after: TermSet  # … «дейін»
    change_verbs: TermSet  # near these, «X-тен Y-ге дейін» is a change, not a range


@dataclass(frozen=True)
class NonfigureRules:
    next_word: TermSet  # «лет», «жасқа», «и более»
    previous_word: TermSet  # «беднейшие», «ең кедей»
    joined: tuple[str, ...]  # endings joined to the digits: «30-летний», «50-летию»
    after_percent: TermSet  # «70% от прожиточного минимума»: a share that defines a norm


@dataclass(frozen=True)
class QualifierRules:
    comparative: TermSet  # label: qualifier; only after a figure in the comparative case
    comparative_endings: tuple[str, ...]  # «500-ден кем», «5%-дан жоғары»
    opening: TermSet  # label: qualifier of a figure that opens with it («сотни», «тысячи»)


def _file(code: str, name: str) -> PatternFile:
    return PatternFile(PATTERNS_DIR / code / f"{name}.yaml")


def _phrase(text: str) -> str:
    return " ".join(normalize_word(word) for word in text.split())


def _endings(f: PatternFile, key: str) -> tuple[str, ...]:
    return tuple(sorted(f.forms(key, []), key=len, reverse=True))


def _currency(f: PatternFile, key: str) -> str:
    value = f.get(key, "")
    if value and not (isinstance(value, str) and len(value) == 3 and value.isascii() and value.isupper()):
        raise f.error(key, "must be an ISO 4217 currency code, e.g. KZT")
    return str(value or "")


@cache
def number_rules(code: str) -> NumberRules:
    f = _file(code, "numbers")
    change = _file(code, "change")
    verbs = [*change.strings("decrease", []), *change.strings("increase", [])]
    return NumberRules(
        point_words=f.terms("decimal.point", default=[]),
        spoken_points=f.terms("decimal.spoken_point", default=[]),
        not_spoken=frozenset(_phrase(p) for p in f.forms("decimal.not_spoken", [])),
        fraction_words=f.term_map("decimal.fractions", {}, label_type=float),
        word_endings=_endings(f, "words.endings"),
        not_numbers=frozenset(normalize_word(w) for w in f.forms("words.not_numbers", [])),
        subunits=f.term_map("subunits", {}, label_type=float),
        subunit_unit=_currency(f, "subunits_of"),
        dashes=tuple(f.strings("ranges.dashes", [])),
        open_before=f.terms("ranges.open_before", default=[]),
        close_before=f.terms("ranges.close_before", default=[]),
        between=f.terms("ranges.between", default=[]),
        low_endings=frozenset(f.forms("ranges.low_endings", [])),
        high_endings=frozenset(f.forms("ranges.high_endings", [])),
        close_after=f.terms("ranges.close_after", default=[]),
        change_verbs=TermSet([(True, v) for t in verbs for v in change.variants(t)]),
    )


@cache
def nonfigure_rules(code: str) -> NonfigureRules:
    f = _file(code, "nonfigures")
    return NonfigureRules(
        next_word=f.terms("next_word"),
        previous_word=f.terms("previous_word", default=[]),
        joined=tuple(f.forms("joined", [])),
        after_percent=f.terms("after_percent", default=[]),
    )


@cache
def qualifier_rules(code: str) -> QualifierRules:
    f = _file(code, "qualifiers")
    for key in ("comparative", "opening"):
        unknown = set(f.get(key, {}) or {}) - {"approx", "more_than", "less_than", "up_to"}
        if unknown:
            raise f.error(key, f"unknown qualifiers {sorted(unknown)}")
    return QualifierRules(
        comparative=f.term_map("comparative", {}),
        comparative_endings=_endings(f, "comparative_endings"),
        opening=f.term_map("opening", {}),
    )
