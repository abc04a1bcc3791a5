"""The region gazetteer and SPEC's scoping of a figure to a region."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import regex

from extractor.document import Document, Span, document_rules
from extractor.langdata import PATTERNS_DIR, available_languages
from extractor.schema import PatternError, PatternFile
from extractor.terms import TermMatch, TermSet, normalize_word
from extractor.tokens import Token, tokenize

NATIONAL = "KZ"  # region code of a mention of the whole country (SPEC)
NATIONAL_NAME = "Kazakhstan"
MENTION_KINDS = ("names", "abbreviations", "former", "colloquial")
_CHAIN_GAP = regex.compile(r"[\s,()%–-]*")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str  # ISO code, or NATIONAL
    text: str
    pattern: str


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, str]  # code -> English name
    mentions: TermSet  # label: (code, pattern id)
    bare: TermSet  # label: (code, pattern id)
    region_nouns: TermSet
    conjunctions: TermSet
    centres: dict[str, str]  # normalized place -> code


def _language_terms(code: str, known: dict[str, str]) -> tuple[list, list, list, list, dict]:
    f = PatternFile(PATTERNS_DIR / code / "regions.yaml")
    mentions = [((NATIONAL, f"{code}.regions.national:{t}"), t) for t in f.strings("national", [])]
    bare, centres = [], {}
    regions = f.get("regions")
    if not isinstance(regions, dict):
        raise f.error("regions", "must map region codes to their names")
    for region in regions:
        if region not in known:
            raise f.error(f"regions.{region}", "unknown region code (see patterns/regions.yaml)")
        for kind in MENTION_KINDS:
            for term in f.strings(f"regions.{region}.{kind}", []):
                mentions.append(((region, f"{code}.regions.{region}.{kind}:{term}"), term))
        for term in f.strings(f"regions.{region}.bare", []):
            bare.append(((region, f"{code}.regions.{region}.bare:{term}"), term))
        for place in f.strings(f"regions.{region}.centres", []):
            centres[normalize_word(place)] = region
    nouns = [(True, t) for t in f.strings("region_nouns")]
    conjunctions = [(True, t) for t in f.strings("conjunctions", [])]
    return mentions, bare, nouns, conjunctions, centres


@cache
def gazetteer() -> Gazetteer:
    """All languages' gazetteers in one: a Kazakh text may name a region in Russian."""
    shared = PatternFile(PATTERNS_DIR / "regions.yaml")
    entries = shared.get("regions")
    if not isinstance(entries, dict):
        raise shared.error("regions", "must map codes to {name: …}")
    names = {code: str(shared.get(f"regions.{code}.name")) for code in entries}
    mentions, bare, nouns, conjunctions, centres = [], [], [], [], {}
    for code in available_languages():
        m, b, n, c, places = _language_terms(code, names)
        mentions += m
        bare += b
        nouns += n
        conjunctions += c
        centres.update(places)
    for place, code in list(centres.items()):
        if code not in names:
            raise PatternError(f"centre {place!r} names unknown region {code}")
    return Gazetteer(names, TermSet(mentions), TermSet(bare), TermSet(nouns), TermSet(conjunctions), centres)


def find_mentions(text: str, tokens: Sequence[Token], gaz: Gazetteer) -> list[Mention]:
    """Region mentions; a bare name counts when a chain of names ends in a region noun."""
    chained = [m for m in gaz.bare.find_all(tokens, text) if _ends_in_noun(m, tokens, text, gaz)]
    found = [_as_mention(m, text) for m in chained]
    for match in gaz.mentions.find_all(tokens, text):
        if not any(m.start < match.end and match.start < m.end for m in chained):
            found.append(_as_mention(match, text))
    return sorted(found, key=lambda m: m.start)


def _as_mention(match: TermMatch, text: str) -> Mention:
    code, pattern = match.label
    return Mention(match.start, match.end, code, text[match.start : match.end], pattern)


def _ends_in_noun(match: TermMatch, tokens: Sequence[Token], text: str, gaz: Gazetteer) -> bool:
    j = match.last + 1
    for _ in range(12):
        if j >= len(tokens) or not _CHAIN_GAP.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
            return False
        if gaz.region_nouns.match_at(tokens, j, text) is not None:
            return True
        other = gaz.bare.match_at(tokens, j, text) or gaz.mentions.match_at(tokens, j, text)
        if other is not None:
            j = other.last + 1
        elif tokens[j].kind != "word" or gaz.conjunctions.match_at(tokens, j, text):
            j += 1
        else:
            return False
    return False


def place_region(place: str, text_tokens: Sequence[Token], gaz: Gazetteer) -> str | None:
    """The region a dateline or signature place names («ТАРАЗ», «АЛМАТЫ»)."""
    norm = normalize_word(place)
    if norm in gaz.centres:
        return gaz.centres[norm]
    match = gaz.mentions.match_at(text_tokens, 0, place) if text_tokens else None
    return match.label[0] if match is not None and match.label[0] else None


@dataclass(frozen=True)
class RegionScope:
    """A document's region evidence, from the most to the least specific."""

    mentions: tuple[Mention, ...]
    title: Mention | None
    dateline: Mention | None
    dominant: Mention | None

    def region_for(self, span: Span, sentence: Span, paragraph: Span) -> Mention | None:
        inside = [m for m in self.mentions if sentence.start <= m.start < sentence.end]
        if inside:
            return min(inside, key=lambda m: _distance(span, m))
        nearby = [
            m for m in self.mentions if paragraph.start <= m.start < paragraph.end and m.code != NATIONAL
        ]
        if nearby:
            return min(nearby, key=lambda m: _distance(span, m))
        return self.title or self.dateline or self.dominant


def _distance(span: Span, mention: Mention) -> int:
    # A mention after the figure counts as one character farther: «в Акмолинской (6,4%),
    # Мангистауской (8,6%)» gives each figure the name before it.
    if mention.end <= span.start:
        return span.start - mention.end
    return max(0, mention.start - span.end) + 1


def region_scope(doc: Document, tokens: Sequence[Token], gaz: Gazetteer) -> RegionScope:
    body = [p for p in doc.paragraphs if p != doc.title_span]
    mentions = [
        m
        for m in find_mentions(doc.text, tokens, gaz)
        if any(p.start <= m.start < p.end for p in doc.paragraphs)
    ]
    title = None
    if doc.title_span is not None:
        in_title = [m for m in mentions if doc.title_span.start <= m.start < doc.title_span.end]
        title = next((m for m in in_title if m.code != NATIONAL), None)
    rules = document_rules()
    dateline = None
    for span, pattern in [(p, rules.dateline) for p in body] + [
        (s, rules.signature) for s in [*body, *doc.furniture]
    ]:
        m = pattern.match(doc.text, span.start, span.end)
        if m:
            place = m.group("place")
            code = place_region(place, tokenize(place), gaz)
            if code:
                dateline = Mention(m.start("place"), m.end("place"), code, place, "dateline")
                break
    counts = Counter(m.code for m in mentions if m.code != NATIONAL)
    dominant = None
    if counts:
        top = counts.most_common(1)[0][0]
        dominant = next(m for m in mentions if m.code == top)
    return RegionScope(tuple(mentions), title, dateline, dominant)
