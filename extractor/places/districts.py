"""Districts and cities of regional significance: the generated patterns/<lang>/districts.yaml.

The files are written by scripts/build_districts.py from ../shared/data/districts.csv; the
rules for their case forms and the words that end a chain («аудандарында», «районах») live
under `districts:` in patterns/<lang>/regions.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from extractor.langdata import PATTERNS_DIR, available_languages
from extractor.schema import PatternFile
from extractor.script import script_variants
from extractor.terms import TermSet

TERM_KINDS = ("named", "bare", "context", "weak")


@dataclass(frozen=True)
class Unit:
    code: str  # KATO
    region: str  # ISO 3166-2:KZ
    kind: str  # district, city, or centre (a city that is its region's centre)
    name: str  # name_latin


@dataclass(frozen=True)
class DistrictTerms:
    """Terms labelled (KATO codes, pattern id): one name may belong to several units."""

    named: TermSet  # always a district («Байзақ ауданында»)
    bare: TermSet  # alone only when capitalised («Рудном»)
    context: TermSet  # the same, and only where the unit's region is in context («в Кокшетау»)
    weak: TermSet  # only after a mark («г. Тараз») or in a chain ending in a noun
    nouns: TermSet  # words that end a chain («аудандарында», «районах», «городах»)
    marks: regex.Pattern[str] | None


def _marks(marks: list[str]) -> regex.Pattern[str] | None:
    if not marks:
        return None
    alternatives = "|".join(regex.escape(m) for m in sorted(marks, key=len, reverse=True))
    return regex.compile(rf"(?<!\p{{L}})(?:{alternatives})\s*$", regex.IGNORECASE)


def load_districts(regions: dict[str, str]) -> tuple[DistrictTerms, dict[str, Unit]]:
    units: dict[str, Unit] = {}
    by_term: dict[str, dict[str, list[str]]] = {kind: {} for kind in TERM_KINDS}
    nouns: list[tuple[object, str]] = []
    marks: list[str] = []
    for code in available_languages():
        path = PATTERNS_DIR / code / "districts.yaml"
        if not path.is_file():
            continue
        rules = PatternFile(PATTERNS_DIR / code / "regions.yaml")
        for word in rules.strings("districts.nouns", []) + rules.strings("districts.city_nouns", []):
            nouns.extend((True, v) for v in script_variants(code, word))
        marks += rules.strings("districts.marks", [])
        f = PatternFile(path)
        entries = f.get("units")
        if not isinstance(entries, dict):
            raise f.error("units", "must map KATO codes to units")
        for kato in entries:
            key = f"units.{kato}"
            region = str(f.get(f"{key}.region"))
            if region not in regions:
                raise f.error(f"{key}.region", f"unknown region code {region}")
            units[str(kato)] = Unit(str(kato), region, str(f.get(f"{key}.kind")), str(f.get(f"{key}.name")))
            for kind in TERM_KINDS:
                for term in f.strings(f"{key}.{kind}", []):
                    for variant in script_variants(code, term):
                        by_term[kind].setdefault(variant, []).append(str(kato))
    sets = {
        kind: TermSet(
            ((tuple(dict.fromkeys(katos)), f"districts.{kind}:{term}"), term) for term, katos in terms.items()
        )
        for kind, terms in by_term.items()
    }
    named, bare, context, weak = (sets[kind] for kind in TERM_KINDS)
    return DistrictTerms(named, bare, context, weak, TermSet(nouns), _marks(marks)), units
