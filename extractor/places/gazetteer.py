"""The place gazetteer: regions, the country, districts and words that refer back, from patterns/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from extractor.langdata import PATTERNS_DIR, available_languages
from extractor.places.districts import DistrictTerms, Unit, load_districts
from extractor.schema import PatternError, PatternFile
from extractor.script import script_variants
from extractor.terms import TermSet, normalize_word

NATIONAL = "KZ"  # region code of a mention of the whole country (SPEC)
NATIONAL_NAME = "Kazakhstan"
MENTION_KINDS = ("names", "abbreviations", "former", "colloquial")


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, str]  # code -> English name
    mentions: TermSet  # label: (code, pattern id); the country's code is NATIONAL
    bare: TermSet  # label: (code, pattern id); a region only before a region noun
    region_nouns: TermSet
    conjunctions: TermSet
    centres: dict[str, str]  # normalized place -> code
    home: TermSet  # label: pattern id; «облыста», «по области»
    home_district: TermSet  # label: pattern id; «ауданда», «в районе»
    centre_words: TermSet  # label: pattern id; «облыс орталығында», «областной центр»
    asides: TermSet  # first words of a clause that is an aside («который …»)
    districts: DistrictTerms
    units: dict[str, Unit]  # KATO code -> unit


class _Terms:
    """(label, term) pairs of one language, each term in every script of the language."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.pairs: list[tuple[object, str]] = []

    def add(self, label: object, terms: list[str]) -> None:
        for term in terms:
            self.pairs.extend((label, variant) for variant in script_variants(self.code, term))


def _region_terms(f: PatternFile, code: str, known: dict[str, str]) -> tuple[_Terms, _Terms, dict]:
    mentions, bare, centres = _Terms(code), _Terms(code), {}
    for term in f.strings("national", []):
        mentions.add((NATIONAL, f"{code}.regions.national:{term}"), [term])
    regions = f.get("regions")
    if not isinstance(regions, dict):
        raise f.error("regions", "must map region codes to their names")
    for region in regions:
        if region not in known:
            raise f.error(f"regions.{region}", "unknown region code (see patterns/regions.yaml)")
        for kind in MENTION_KINDS:
            for term in f.strings(f"regions.{region}.{kind}", []):
                mentions.add((region, f"{code}.regions.{region}.{kind}:{term}"), [term])
        for term in f.strings(f"regions.{region}.abbreviations", []):
            # «ШҚО-да», «ВКО-шный»: an abbreviation takes its case ending after a hyphen
            mentions.add((region, f"{code}.regions.{region}.abbreviations:{term}"), [term + "-*"])
        for term in f.strings(f"regions.{region}.bare", []):
            bare.add((region, f"{code}.regions.{region}.bare:{term}"), [term])
        for place in f.strings(f"regions.{region}.centres", []):
            for variant in script_variants(code, place):
                centres[normalize_word(variant)] = region
    return mentions, bare, centres


def _labelled(f: PatternFile, code: str, key: str) -> list[tuple[object, str]]:
    terms = _Terms(code)
    for term in f.strings(key, []):
        terms.add(f"{code}.regions.{key}:{term}", [term])
    return terms.pairs


def _add_language(
    f: PatternFile,
    code: str,
    names: dict[str, str],
    pairs: dict[str, list[tuple[object, str]]],
    centres: dict[str, str],
) -> None:
    """One language's regions.yaml added to the pairs of all languages (one TermSet each)."""
    mentions, bare, places = _region_terms(f, code, names)
    pairs["mentions"] += mentions.pairs
    pairs["bare"] += bare.pairs
    centres.update(places)
    for key, name in (("nouns", "region_nouns"), ("conj", "conjunctions"), ("aside", "aside")):
        words = _Terms(code)
        words.add(True, f.strings(name, []))
        pairs[key] += words.pairs
    pairs["home"] += _labelled(f, code, "home")
    pairs["home_district"] += _labelled(f, code, "home_district")
    pairs["centre"] += _labelled(f, code, "centre")


@cache
def gazetteer() -> Gazetteer:
    """All languages' gazetteers in one: a Kazakh text may name a region in Russian."""
    shared = PatternFile(PATTERNS_DIR / "regions.yaml")
    entries = shared.get("regions")
    if not isinstance(entries, dict):
        raise shared.error("regions", "must map codes to {name: …}")
    names = {code: str(shared.get(f"regions.{code}.name")) for code in entries}
    pairs: dict[str, list[tuple[object, str]]] = {
        k: [] for k in ("mentions", "bare", "nouns", "conj", "home", "home_district", "centre", "aside")
    }
    centres: dict[str, str] = {}
    for code in available_languages():
        _add_language(PatternFile(PATTERNS_DIR / code / "regions.yaml"), code, names, pairs, centres)
    for place, code in list(centres.items()):
        if code not in names:
            raise PatternError(f"centre {place!r} names unknown region {code}")
    districts, units = load_districts(names)
    return Gazetteer(
        names,
        TermSet(pairs["mentions"]),
        TermSet(pairs["bare"]),
        TermSet(pairs["nouns"]),
        TermSet(pairs["conj"]),
        centres,
        TermSet(pairs["home"]),
        TermSet(pairs["home_district"]),
        TermSet(pairs["centre"]),
        TermSet(pairs["aside"]),
        districts,
        units,
    )

