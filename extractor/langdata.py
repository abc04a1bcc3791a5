"""Per-language data from patterns/<code>/, loaded and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from extractor.schema import PatternError, PatternFile
from extractor.terms import TermSet, normalize_word

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"
STATUSES = ("plan", "target", "actual")
QUALIFIERS = ("approx", "more_than", "less_than", "up_to")
TIME_ROLES = ("year", "date", "months", "comparison", "day")


@dataclass(frozen=True)
class TimePattern:
    id: str
    role: str
    regex: regex.Pattern[str]


@dataclass(frozen=True)
class NumberData:
    scales: TermSet  # label: multiplier
    add_words: TermSet  # label: value
    multiply_words: TermSet  # label: multiplier
    half_words: TermSet
    partitive_suffixes: frozenset[str]
    ordinal_suffixes: frozenset[str]
    partitive_words: TermSet
    partitive_before: TermSet
    bare_scale_endings: frozenset[str]


@dataclass(frozen=True)
class ChangeData:
    decrease: TermSet
    increase: TermSet
    by_suffixes: tuple[str, ...]
    from_suffixes: tuple[str, ...]
    by_before: TermSet
    to_before: TermSet
    from_before: TermSet
    to_after: TermSet
    window: int
    verb_side: str  # after | both


@dataclass(frozen=True)
class LanguageData:
    code: str
    name: str
    letters: frozenset[str]
    words: frozenset[str]
    abbreviations: frozenset[str]
    name_abbreviations: frozenset[str]
    numbers: NumberData
    units: TermSet  # label: unit name
    unit_window: int
    prepositions: frozenset[str]  # the word after one is not a counted noun
    modifier_endings: tuple[str, ...]  # «многодетных, …»: a comma after these goes on
    qualifier_endings: dict[str, str]  # ending -> qualifier («мыңдай» -> approx)
    qualifiers_before: TermSet  # label: qualifier
    qualifiers_after: TermSet
    change: ChangeData
    status: TermSet  # label: plan | target | actual
    concepts: TermSet  # label: concept id
    months: tuple[tuple[int, str], ...]  # (month number, stem)
    time_patterns: tuple[TimePattern, ...]
    relative_years: TermSet  # label: offset in years
    publication_cues: TermSet
    nonfigure_next: TermSet
    end_markers: tuple[str, ...]
    skip_lines: tuple[str, ...]


def _numbers(f: PatternFile) -> NumberData:
    return NumberData(
        scales=f.term_map("scales", label_type=float),
        add_words=f.term_map("words.add", label_type=float),
        multiply_words=f.term_map("words.multiply", {}, label_type=float),
        half_words=f.terms("words.half", default=[]),
        partitive_suffixes=frozenset(f.strings("suffixes.partitive", [])),
        ordinal_suffixes=frozenset(f.strings("suffixes.ordinal", [])),
        partitive_words=f.terms("partitive_words", default=[]),
        partitive_before=f.terms("partitive_before", default=[]),
        bare_scale_endings=frozenset(_plain_strings(f, "bare_scale_endings")),
    )


def _change(f: PatternFile) -> ChangeData:
    return ChangeData(
        decrease=f.terms("decrease"),
        increase=f.terms("increase"),
        by_suffixes=tuple(f.strings("by_suffixes", [])),
        from_suffixes=tuple(f.strings("from_suffixes", [])),
        by_before=f.terms("by_before", default=[]),
        to_before=f.terms("to_before", default=[]),
        from_before=f.terms("from_before", default=[]),
        to_after=f.terms("to_after", default=[]),
        window=f.integer("window"),
        verb_side=_choice(f, "verb_side", ("after", "both")),
    )


def _choice(f: PatternFile, key: str, allowed: tuple[str, ...]) -> str:
    value = f.get(key)
    if value not in allowed:
        raise f.error(key, f"must be one of {list(allowed)}")
    return str(value)


def _plain_strings(f: PatternFile, key: str) -> list[str]:
    """A list of strings that may hold the empty string (an ending that is no ending)."""
    value = f.get(key, []) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise f.error(key, "must be a list of strings")
    return value


def _labelled(f: PatternFile, key: str, labels: tuple[str, ...]) -> TermSet:
    mapping = f.get(key, {}) or {}
    unknown = set(mapping) - set(labels)
    if unknown:
        raise f.error(key, f"unknown labels {sorted(unknown)}; expected {list(labels)}")
    return f.term_map(key, {})


def _months(f: PatternFile) -> tuple[tuple[int, str], ...]:
    mapping = f.get("months")
    if not isinstance(mapping, dict) or sorted(mapping) != list(range(1, 13)):
        raise f.error("months", "must map each month number 1..12 to a list of stems")
    return tuple((int(n), stem) for n in mapping for stem in f.strings(("months", n)))


def _time_patterns(f: PatternFile, months: tuple[tuple[int, str], ...]) -> tuple[TimePattern, ...]:
    month_alternation = "(?:" + "|".join(stem for _, stem in months) + r")\w*"
    items = f.get("patterns")
    if not isinstance(items, list):
        raise f.error("patterns", "must be a list of {id, role, regex}")
    patterns = []
    for n, item in enumerate(items):
        key = f"patterns[{n}]"
        if not isinstance(item, dict) or not {"id", "role", "regex"} <= set(item):
            raise f.error(key, "needs id, role and regex")
        if item["role"] not in TIME_ROLES:
            raise f.error(f"{key}.role", f"must be one of {list(TIME_ROLES)}")
        source = str(item["regex"]).replace("{month}", month_alternation)
        patterns.append(TimePattern(str(item["id"]), item["role"], f.pattern(key, source)))
    return tuple(patterns)


@cache
def load_language(code: str, root: Path = PATTERNS_DIR) -> LanguageData:
    folder = root / code
    if not folder.is_dir():
        raise PatternError(f"{folder}: no patterns for language '{code}'")
    lang = PatternFile(folder / "language.yaml")
    units = PatternFile(folder / "units.yaml")
    quals = PatternFile(folder / "qualifiers.yaml")
    time = PatternFile(folder / "time.yaml")
    furniture = PatternFile(folder / "furniture.yaml")
    months = _months(time)
    if lang.get("code") != code:
        raise lang.error("code", f"must be '{code}', the folder's name")
    return LanguageData(
        code=code,
        name=str(lang.get("name")),
        letters=frozenset(str(lang.get("letters"))),
        words=frozenset(normalize_word(w) for w in lang.strings("words")),
        abbreviations=frozenset(normalize_word(w) for w in lang.strings("abbreviations", [])),
        name_abbreviations=frozenset(normalize_word(w) for w in lang.strings("name_abbreviations", [])),
        numbers=_numbers(PatternFile(folder / "numbers.yaml")),
        units=_units(units),
        unit_window=units.integer("window"),
        prepositions=frozenset(normalize_word(w) for w in units.strings("prepositions", [])),
        modifier_endings=tuple(units.strings("modifier_endings", [])),
        qualifier_endings=_endings(quals),
        qualifiers_before=_labelled(quals, "before", QUALIFIERS),
        qualifiers_after=_labelled(quals, "after", QUALIFIERS),
        change=_change(PatternFile(folder / "change.yaml")),
        status=_status(PatternFile(folder / "status.yaml")),
        concepts=_concepts(PatternFile(folder / "concepts.yaml")),
        months=months,
        time_patterns=_time_patterns(time, months),
        relative_years=time.term_map("relative", label_type=int),
        publication_cues=time.terms("publication_cues", default=[]),
        nonfigure_next=PatternFile(folder / "nonfigures.yaml").terms("next_word"),
        end_markers=tuple(furniture.strings("end_markers", [])),
        skip_lines=tuple(furniture.strings("skip_lines", [])),
    )


def _endings(f: PatternFile) -> dict[str, str]:
    mapping = f.get("endings", {}) or {}
    unknown = set(mapping) - set(QUALIFIERS)
    if unknown:
        raise f.error("endings", f"unknown qualifiers {sorted(unknown)}")
    return {ending: q for q in mapping for ending in f.strings(f"endings.{q}")}


def _units(f: PatternFile) -> TermSet:
    units = f.get("units")
    if not isinstance(units, dict) or "percent" not in units:
        raise f.error("units", "must map unit names to terms and include 'percent'")
    return f.term_map("units")


def _status(f: PatternFile) -> TermSet:
    for label in f.data:
        if label not in STATUSES:
            raise f.error(label, f"unknown status; expected {list(STATUSES)}")
    return TermSet.from_mapping({label: f.strings(label) for label in STATUSES}, lemmas=True)


def _concepts(f: PatternFile) -> TermSet:
    return TermSet.from_mapping({concept: f.strings(concept) for concept in f.data}, lemmas=True)


@cache
def available_languages(root: Path = PATTERNS_DIR) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in root.iterdir() if (p / "language.yaml").is_file()))
