"""Place mentions in a text: regions, the country, districts, and words that refer back."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import NamedTuple

import regex

from extractor.places.gazetteer import NATIONAL, Gazetteer
from extractor.terms import TermGroup, TermMatch, TermSet
from extractor.tokens import Token

_CHAIN_GAP = regex.compile(r"[\s,()%–-]*")


class Mention(NamedTuple):
    start: int
    end: int
    code: str  # ISO code, NATIONAL, or "" while a district's region is still open
    text: str
    pattern: str
    # region, national, district, home («облыста»), home_district («ауданда»), centre («облыс орталығы»)
    kind: str = "region"
    units: tuple[str, ...] = ()  # KATO codes a district mention may name
    conditional: bool = False  # a district only where its region is in context («в Кокшетау»)

    @property
    def names_region(self) -> bool:
        return self.kind in ("region", "district") and bool(self.code)


def find_mentions(text: str, tokens: Sequence[Token], gaz: Gazetteer) -> list[Mention]:
    """Every place mention, the longest where two overlap (districts before regions on a tie)."""
    d = gaz.districts
    named, bare, context, weak, regions_bare, regions, *words = _group(gaz).find_all(tokens, text)
    candidates: list[Mention] = [_district(m, text, gaz) for m in named]

    def marked(m: TermMatch) -> bool:  # «г. Тараз»
        return d.marks is not None and d.marks.search(text, max(0, m.start - 8), m.start) is not None

    for matches, conditional in ((bare, False), (context, True)):
        for m in matches:
            if text[m.start].isupper():  # a proper name, not the common word it may also be
                candidates.append(_district(m, text, gaz)._replace(conditional=conditional and not marked(m)))
    for m in weak:
        members = (d.weak, d.bare, d.context, d.named)
        if marked(m) or _ends_in_noun(m, tokens, text, members, d.nouns, gaz.conjunctions):
            candidates.append(_district(m, text, gaz))
    # a bare name in a list that ends in the region noun is a region, even where a city of
    # the same name would be read otherwise («Павлодар (4,4%), Ұлытау (4,9%) облыстарында»)
    listed: set[tuple[int, int]] = set()
    for m in regions_bare:
        if _ends_in_noun(m, tokens, text, (gaz.bare, gaz.mentions), gaz.region_nouns, gaz.conjunctions):
            candidates.append(_region(m, text))
            listed.add((m.start, m.end))
    candidates += [_region(m, text) for m in regions]
    starts = [token.start for token in tokens]
    candidates = [_with_noun(m, tokens, starts, text, gaz) if m.kind == "region" else m for m in candidates]
    for kind, matches in zip(("home", "home_district", "centre"), words, strict=True):
        for m in matches:
            candidates.append(Mention(m.start, m.end, "", text[m.start : m.end], str(m.label), kind))
    return _longest_first(candidates, listed, len(text))


# Of mentions over the same characters: a listed region, a district, a region or the country,
# a regional centre, then words that refer back.
_RANK = {
    "listed_region": -1, "district": 0, "region": 1, "national": 1,
    "centre": 2, "home": 3, "home_district": 3,
}  # fmt: skip


def _longest_first(candidates: list[Mention], listed: set[tuple[int, int]], length: int) -> list[Mention]:
    """The longest mention where two overlap, by _RANK on a tie; in text order."""

    def rank(m: Mention) -> int:
        return _RANK["listed_region" if m.kind == "region" and (m.start, m.end) in listed else m.kind]

    candidates.sort(key=lambda m: (m.start - m.end, rank(m), m.start))
    chosen: list[Mention] = []
    taken = bytearray(length)  # characters already in a chosen mention: linear, not pairwise
    for m in candidates:
        if taken.find(1, m.start, m.end) < 0:
            chosen.append(m)
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    return sorted(chosen, key=lambda m: m.start)


_GROUPS: dict[int, tuple[Gazetteer, TermGroup]] = {}


def _group(gaz: Gazetteer) -> TermGroup:
    """The gazetteer's term sets, searched in one pass (in the order find_mentions reads them)."""
    known = _GROUPS.get(id(gaz))
    if known is None or known[0] is not gaz:
        d = gaz.districts
        sets = (d.named, d.bare, d.context, d.weak, gaz.bare, gaz.mentions)
        known = _GROUPS[id(gaz)] = (gaz, TermGroup((*sets, gaz.home, gaz.home_district, gaz.centre_words)))
    return known[1]


def _region(match: TermMatch, text: str) -> Mention:
    code, pattern = match.label
    kind = "national" if code == NATIONAL else "region"
    return Mention(match.start, match.end, code, text[match.start : match.end], pattern, kind)


def _with_noun(
    mention: Mention, tokens: Sequence[Token], starts: list[int], text: str, gaz: Gazetteer
) -> Mention:
    """«Туркестанская область»: the region noun right after a name belongs to the mention."""
    j = bisect_left(starts, mention.end)
    if j >= len(tokens) or text[mention.end : tokens[j].start].strip():
        return mention
    if gaz.region_nouns.match_at(tokens, j, text) is None:
        return mention
    return mention._replace(end=tokens[j].end, text=text[mention.start : tokens[j].end])


def _district(match: TermMatch, text: str, gaz: Gazetteer) -> Mention:
    units, pattern = match.label
    regions = {gaz.units[u].region for u in units}
    code = next(iter(regions)) if len(regions) == 1 else ""
    return Mention(match.start, match.end, code, text[match.start : match.end], pattern, "district", units)


def _ends_in_noun(
    match: TermMatch,
    tokens: Sequence[Token],
    text: str,
    members: Sequence[TermSet],
    nouns: TermSet,
    conjunctions: TermSet,
) -> bool:
    """A chain of names joined by commas, conjunctions or figures ends in one of the nouns:
    «в Костанайской (4,1%), Павлодарской (5,3%) и Жамбылской областях», «Байзақ, Талас және
    Мерке аудандарында»."""
    j = match.last + 1
    for _ in range(12):
        if j >= len(tokens) or not _CHAIN_GAP.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
            return False
        if nouns.match_at(tokens, j, text) is not None:
            return True
        other = next((m for m in (s.match_at(tokens, j, text) for s in members) if m is not None), None)
        if other is not None:
            j = other.last + 1
        elif tokens[j].kind != "word" or conjunctions.match_at(tokens, j, text):
            j += 1
        else:
            return False
    return False
