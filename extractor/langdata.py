"""Per-language data from patterns/<code>/, loaded and checked once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from extractor.caseless import CaselessPattern
from extractor.resources import patterns_dir
from extractor.schema import PatternError, PatternFile
from extractor.script import ScriptTable, load_script
from extractor.terms import TermSet, normalize_word

PATTERNS_DIR = patterns_dir()  # the source tree's patterns/, or the installed package's copy
STATUSES = ("plan", "target", "actual")
# A present-future verb form («алады», «беріледі»): a plan for a figure of the publication
# year or later, what happened for an earlier one (extractor/pipeline.py reads it).
TENSE_PLAN = "plan_by_tense"
QUALIFIERS = ("approx", "more_than", "less_than", "up_to")
TIME_ROLES = ("year", "date", "months", "comparison", "day")
# measures, not nouns: counted.yaml may not name them
_NOT_COUNTED = ("percent", "times")


@dataclass(frozen=True)
class TimePattern:
    id: str
    role: str
    scan: CaselessPattern  # matched on lower-cased text where that finds the same (faster)

    @property
    def regex(self) -> regex.Pattern[str]:
        return self.scan.pattern


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
    lone_one: TermSet  # the word «one» that may count the noun right after it
    lone_one_endings: frozenset[str] | None  # endings that noun may carry (None: any)
    lone_one_not_after: frozenset[str]  # words that make «one» an article («белгілі бір»)
    lone_one_not_before: frozenset[str]  # words after its noun that make a rate («бір тонна үшін»)
    lone_one_not_units: frozenset[str]  # measures: «one kilo» prices a unit, it counts nothing


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
    superlatives: TermSet  # «больше всего», «ең көп»: the most, the least, no change


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
        partitive_suffixes=frozenset(f.forms("suffixes.partitive", [])),
        ordinal_suffixes=frozenset(f.forms("suffixes.ordinal", [])),
        partitive_words=f.terms("partitive_words", default=[]),
        partitive_before=f.terms("partitive_before", default=[]),
        bare_scale_endings=frozenset(f.forms("bare_scale_endings", [], allow_empty=True)),
        lone_one=f.terms("lone_one.words", default=[]),
        lone_one_endings=_optional_endings(f, "lone_one.endings"),
        lone_one_not_after=frozenset(f.forms("lone_one.not_after", [])),
        lone_one_not_before=frozenset(f.forms("lone_one.not_before", [])),
        lone_one_not_units=frozenset(f.strings("lone_one.not_units", [])),
    )


def _optional_endings(f: PatternFile, key: str) -> frozenset[str] | None:
    if f.get(key, None) is None:
        return None
    return frozenset(f.forms(key, allow_empty=True))


def _change(f: PatternFile) -> ChangeData:
    return ChangeData(
        decrease=f.terms("decrease"),
        increase=f.terms("increase"),
        by_suffixes=tuple(f.forms("by_suffixes", [])),
        from_suffixes=tuple(f.forms("from_suffixes", [])),
        by_before=f.terms("by_before", default=[]),
        to_before=f.terms("to_before", default=[]),
        from_before=f.terms("from_before", default=[]),
        to_after=f.terms("to_after", default=[]),
        window=f.integer("window"),
        verb_side=_choice(f, "verb_side", ("after", "both")),
        superlatives=f.terms("superlatives", default=[]),
    )


def _choice(f: PatternFile, key: str, allowed: tuple[str, ...]) -> str:
    value = f.get(key)
    if value not in allowed:
        raise f.error(key, f"must be one of {list(allowed)}")
    return str(value)


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
    return tuple((int(n), stem) for n in mapping for stem in f.forms(("months", n)))


def _alternation(stems: Sequence[str]) -> str:
    """stems as one regex alternation, those of a common first letter grouped behind it: the
    engine then tries one group per position, not every stem (Kazakh months come in several
    alphabets). Stems that open with anything but a plain letter stay as they are, and so does
    the whole where two first letters differ only in case (ignore-case would join them)."""
    groups: dict[tuple[str, int], list[str]] = {}  # (first letter, -1) or ("", index) for the rest
    for n, stem in enumerate(stems):
        plain = len(stem) > 1 and stem[0].isalpha() and stem[1] not in "*+?{" and "|" not in stem
        groups.setdefault((stem[0], -1) if plain else ("", n), []).append(stem)
    firsts = [first for first, _ in groups if first]
    if len({first.casefold() for first in firsts}) < len(firsts):
        return "(?:" + "|".join(stems) + ")"
    parts = []
    for (first, _), grouped in groups.items():
        if not first or len(grouped) == 1:
            parts.extend(grouped)
        else:
            parts.append(regex.escape(first) + "(?:" + "|".join(stem[1:] for stem in grouped) + ")")
    return "(?:" + "|".join(parts) + ")"


def _either_i(stem: str) -> str:
    """The stem with a dotless ı also accepting i, as words are matched (a capital I is either;
    patterns/document.yaml): «qırküyek» is then one class, which lets the time patterns match on
    lower-cased text (extractor/caseless.py). Inside a set, i joins the ı."""
    out, in_set, escaped = [], False, False
    for ch in stem:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[" and not in_set:
            in_set = True
        elif ch == "]" and in_set:
            in_set = False
        elif ch == "ı":
            out.append("ıi" if in_set else "[ıi]")
            continue
        out.append(ch)
    return "".join(out)


def _time_patterns(f: PatternFile, months: tuple[tuple[int, str], ...]) -> tuple[TimePattern, ...]:
    month_alternation = _alternation([_either_i(stem) for _, stem in months]) + r"\w*"
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
        source = str(item["regex"])
        if f.script is not None:  # each letter also as its renderings in the other alphabets
            source = f.script.regex(source)
        source = source.replace("{month}", month_alternation)
        patterns.append(TimePattern(str(item["id"]), item["role"], CaselessPattern(f.pattern(key, source))))
    return tuple(patterns)


@cache
def load_language(code: str, root: Path = PATTERNS_DIR) -> LanguageData:
    folder = root / code
    if not folder.is_dir():
        raise PatternError(f"{folder}: no patterns for language '{code}'")
    script = load_script(folder)
    lang, units, quals, time, furniture = (
        _file(folder, name, script) for name in ("language", "units", "qualifiers", "time", "furniture")
    )
    months = _months(time)
    if lang.get("code") != code:
        raise lang.error("code", f"must be '{code}', the folder's name")
    numbers_file = _file(folder, "numbers", script)
    numbers, unit_terms = _numbers(numbers_file), _units(units, _counted(folder, script))
    unknown = numbers.lone_one_not_units - {str(label) for label in unit_terms.labels()}
    if unknown:
        raise numbers_file.error("lone_one.not_units", f"unknown units {sorted(unknown)}")
    return LanguageData(
        code=code,
        name=str(lang.get("name")),
        letters=frozenset(str(lang.get("letters"))),
        words=frozenset(normalize_word(w) for w in lang.forms("words")),
        abbreviations=frozenset(normalize_word(w) for w in lang.forms("abbreviations", [])),
        name_abbreviations=frozenset(normalize_word(w) for w in lang.forms("name_abbreviations", [])),
        numbers=numbers,
        units=unit_terms,
        unit_window=units.integer("window"),
        prepositions=frozenset(normalize_word(w) for w in units.forms("prepositions", [])),
        modifier_endings=tuple(units.forms("modifier_endings", [])),
        qualifier_endings=_endings(quals),
        qualifiers_before=_labelled(quals, "before", QUALIFIERS),
        qualifiers_after=_labelled(quals, "after", QUALIFIERS),
        change=_change(_file(folder, "change", script)),
        status=_status(_file(folder, "status", script)),
        concepts=_concepts(_file(folder, "concepts", script)),
        months=months,
        time_patterns=_time_patterns(time, months),
        relative_years=time.term_map("relative", label_type=int),
        publication_cues=time.terms("publication_cues", default=[]),
        nonfigure_next=_file(folder, "nonfigures", script).terms("next_word"),
        end_markers=tuple(furniture.forms("end_markers", [])),
        skip_lines=tuple(furniture.forms("skip_lines", [])),
    )


def _file(folder: Path, name: str, script: ScriptTable | None) -> PatternFile:
    return PatternFile(folder / f"{name}.yaml", script)


def _endings(f: PatternFile) -> dict[str, str]:
    mapping = f.get("endings", {}) or {}
    unknown = set(mapping) - set(QUALIFIERS)
    if unknown:
        raise f.error("endings", f"unknown qualifiers {sorted(unknown)}")
    return {ending: q for q in mapping for ending in f.forms(f"endings.{q}")}


def _units(f: PatternFile, counted: PatternFile | None = None) -> TermSet:
    """units.yaml's unit words, and counted.yaml's counted nouns where the language has one."""
    units = f.get("units")
    if not isinstance(units, dict) or "percent" not in units:
        raise f.error("units", "must map unit names to terms and include 'percent'")
    if counted is None:
        return f.term_map("units")
    pairs = [(str(u), v) for u in units for t in f.strings(("units", u)) for v in f.variants(t)]
    known = {normalize_word(t): str(u) for u in units for t in f.strings(("units", u))}
    for unit in counted.data:
        if not isinstance(unit, str) or not regex.fullmatch(r"[a-z][a-z_]*", unit) or unit in _NOT_COUNTED:
            raise counted.error(str(unit), "a counted noun's unit is a lowercase English noun, not a measure")
        for term in counted.strings(unit):
            other = known.get(normalize_word(term), unit)
            if other != unit:  # one word, two meanings: the files must agree
                raise counted.error(unit, f"term {term!r} is unit '{other}' in units.yaml")
            pairs.extend((unit, v) for v in counted.variants(term))
    unique = {(label, normalize_word(text)): (label, text) for label, text in pairs}
    try:
        return TermSet(unique.values())
    except ValueError as exc:
        raise counted.error("units", str(exc)) from exc


def _counted(folder: Path, script: ScriptTable | None) -> PatternFile | None:
    """counted.yaml, the language's lexicon of counted nouns, where there is one."""
    return _file(folder, "counted", script) if (folder / "counted.yaml").is_file() else None


def _status(f: PatternFile) -> TermSet:
    for label in f.data:
        if label not in (*STATUSES, TENSE_PLAN):
            raise f.error(label, f"unknown status; expected {[*STATUSES, TENSE_PLAN]}")
    return f.labelled_terms([label for label in (*STATUSES, TENSE_PLAN) if label in f.data], lemmas=True)


def _concepts(f: PatternFile) -> TermSet:
    return f.labelled_terms(list(f.data), lemmas=True)


@cache
def available_languages(root: Path = PATTERNS_DIR) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in root.iterdir() if (p / "language.yaml").is_file()))
