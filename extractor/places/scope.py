"""SPEC's scoping of a figure to a region and a district, as a careful reader does it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from extractor.document import Document, Span, document_rules
from extractor.places.gazetteer import Gazetteer
from extractor.places.mentions import Mention, find_mentions
from extractor.terms import TermSet, normalize_word
from extractor.tokens import LETTER_RUN, Token, new_tuple, tokenize

# Clauses end at a comma, semicolon or colon followed by a space (not «4,5%»).
_LIST_GAP = regex.compile(r"[\s,]*")
_CLAUSE_BREAK = regex.compile(r"[,;:](?=\s)")  # one character: a break ends where it starts + 1
# Between a place and its figure: a dash, colon or opening parenthesis binds them.
_BINDS_BACK = regex.compile(r"\s[–—-]\s|[:(]")


class Place(NamedTuple):
    """What a figure is scoped to."""

    code: str
    text: str
    pattern: str
    district: str = ""
    district_name: str = ""
    start: int = -1  # the mention the place comes from (-1: none in the text)
    end: int = -1


def _at(place: Place, mention: Mention) -> Place:
    # not dataclasses.replace: this runs for every figure, and replace inspects the fields
    named = (place.code, place.text, place.pattern, place.district, place.district_name)
    return new_tuple(Place, (*named, mention.start, mention.end))


def place_region(place: str, text_tokens: Sequence[Token], gaz: Gazetteer) -> str | None:
    """The region a dateline or signature place names («ТАРАЗ», «АЛМАТЫ»)."""
    norm = normalize_word(place)
    if norm in gaz.centres:
        return gaz.centres[norm]
    match = gaz.mentions.match_at(text_tokens, 0, place) if text_tokens else None
    return match.label[0] if match is not None and match.label[0] else None


@dataclass(frozen=True)
class RegionScope:
    """A document's place evidence, from the most to the least specific. Every district
    mention here names one unit (resolved against its context by region_scope)."""

    text: str
    gaz: Gazetteer
    mentions: tuple[Mention, ...]
    title: Mention | None  # a region or district named in the title
    national_title: Mention | None  # a title about the whole country
    dateline: Mention | None
    dominant: Mention | None
    sentences: tuple[Span, ...] = ()
    tokens: tuple[Token, ...] = ()  # the whole text's, for the words of a stretch of it
    # sentence start -> where its clauses break, and its clauses that open with an aside word:
    # the same for each of its figures
    clauses: dict[int, tuple[list[int], list[Span]]] = field(default_factory=dict, compare=False)

    def _within(self, span: Span) -> list[Mention]:
        """Mentions starting inside span (mentions are in text order): no scan of the whole text."""
        first = bisect_left(self.mentions, span.start, key=lambda m: m.start)
        last = bisect_left(self.mentions, span.end, key=lambda m: m.start)
        return list(self.mentions[first:last])

    @property
    def home(self) -> Mention | None:
        """The region the document is about («облыста», «по области» refer to it)."""
        return self.title or self.dateline or self.dominant

    def region_for(self, span: Span, sentence: Span, paragraph: Span) -> Mention | None:
        """The mention that scopes a figure (SPEC: clause, sentence, paragraph, document)."""
        place = self.place_for(span, sentence, paragraph)
        return None if place is None else Mention(span.start, span.end, place.code, place.text, place.pattern)

    def place_for(self, span: Span, sentence: Span, paragraph: Span) -> Place | None:
        breaks, opened = self._clauses(sentence)
        clause = _clause(breaks, span, sentence)
        chosen = self._nearest(span, sentence, paragraph, clause, opened)
        if chosen is None:
            return self._document_place(national=True)
        carried = chosen.end <= sentence.start and chosen.units != self._title_units()
        if chosen.kind == "district" and (carried or chosen.start >= clause.end):
            # a district scopes the figures beside it, not a total before it or the next sentences
            return self._place(chosen._replace(kind="region", units=()), paragraph)
        return self._place(chosen, paragraph)

    def _title_units(self) -> tuple[str, ...]:
        return self.title.units if self.title is not None else ()

    def _document_place(self, national: bool) -> Place | None:
        """The title's place (with its district), a national title, else the region alone."""
        if self.title is not None:
            return self._place(self.title, Span(self.title.start, self.title.end))
        if national and self.national_title is not None:
            return self._place(self.national_title, Span(0, 0))
        fallback = self.dateline or self.dominant
        if fallback is None:
            return None
        return _at(Place(fallback.code, fallback.text, fallback.pattern), fallback)

    def _clauses(self, sentence: Span) -> tuple[list[int], list[Span]]:
        known = self.clauses.get(sentence.start)
        if known is None:
            found = _CLAUSE_BREAK.finditer(self.text, sentence.start, sentence.end, concurrent=False)
            breaks = [m.start() for m in found]
            opened = _aside_clauses(self.text, self.tokens, self.gaz.asides, sentence, breaks)
            known = self.clauses[sentence.start] = (breaks, opened)
        return known

    def _nearest(
        self, span: Span, sentence: Span, paragraph: Span, clause: Span, opened: list[Span]
    ) -> Mention | None:
        asides = [a for a in opened if a.start != clause.start]  # not the figure's own clause
        usable = self._within(paragraph)
        if asides:  # most sentences have none
            usable = [m for m in usable if not any(a.start <= m.start < a.end for a in asides)]
        inside = [m for m in usable if clause.start <= m.start < clause.end]
        if inside:
            best = min(inside, key=lambda m: _distance(span, m))
            lead = [m for m in inside if m.end <= span.start]
            if best.start <= span.start and span.end <= best.end:
                pass  # «Жамбыл (5,0%) облыстарында»: the name around the figure
            elif lead and _BINDS_BACK.search(self.text, lead[-1].end, span.start):
                best = lead[-1]  # «Астана қаласында – 2,4% және Маңғыстау…», «Шымкент қаласы (71,2 мың)»
            if best.kind == "region":
                # «в Байзакском районе Жамбылской области»: the district of that region is closer in meaning
                best = next((m for m in inside if m.kind == "district" and _beside(m, best, self.text)), best)
            if best.kind == "district" and _joined_district(
                best, inside, span, self.text, self.tokens, self.gaz.conjunctions
            ):
                return best._replace(kind="region", units=())  # «в Байзакском и Таласском районах»: both
            return best
        before = [m for m in usable if paragraph.start <= m.start and m.end <= clause.start]
        if before:  # the sentence, then the paragraph before it: a list's lead-in says national
            return self._last_before(before, sentence)
        after = [m for m in usable if clause.end <= m.start < sentence.end]
        if after:
            return min(after, key=lambda m: m.start)
        later = [m for m in usable if sentence.end <= m.start < paragraph.end and m.kind != "national"]
        return min(later, key=lambda m: m.start) if later else None

    def _last_before(self, before: list[Mention], sentence: Span) -> Mention:
        last = max(before, key=lambda m: m.end)
        if last.end > sentence.start:
            return last
        # From an earlier sentence its place names carry before its words that refer back, and
        # those before the country: «Қордай ауданы – облыстағы …. Мұнда …», and a sentence
        # comparing the region with the country («облыс республикада екінші орында») carries the region.
        k = bisect_right(self.sentences, last.start, key=lambda s: s.start) - 1
        inside_one = k >= 0 and last.start < self.sentences[k].end
        own = self.sentences[k] if inside_one else Span(last.start, last.end)
        same = [m for m in before if own.start <= m.start < own.end]
        for kinds in (("region", "district"), ("home", "home_district", "centre")):
            ranked = [m for m in same if m.kind in kinds]
            if ranked:
                return max(ranked, key=lambda m: m.end)
        return last

    def _place(self, mention: Mention, paragraph: Span) -> Place | None:
        if mention.kind in ("home", "home_district"):
            home = self._document_place(national=False)
            if home is not None and mention.kind == "home":
                home = home._replace(district="", district_name="")  # «облыс бойынша»: the whole region
            return None if home is None else _at(home._replace(pattern=mention.pattern), mention)
        if mention.kind == "centre":
            return self._centre(mention, paragraph)
        if mention.kind == "district" and mention.units:
            unit = self.gaz.units[mention.units[0]]
            fields = (unit.region, mention.text, mention.pattern, unit.code, unit.name, -1, -1)
            return _at(new_tuple(Place, fields), mention)
        return _at(new_tuple(Place, (mention.code, mention.text, mention.pattern, "", "", -1, -1)), mention)

    def _centre(self, mention: Mention, paragraph: Span) -> Place | None:
        region = _context_region(self.mentions, mention.start, paragraph, self.home)
        if not region:
            return None
        units = self.gaz.units.values()
        city = next((u for u in units if u.kind == "centre" and u.region == region), None)
        if city is None:
            return _at(Place(region, mention.text, mention.pattern), mention)
        return _at(Place(region, mention.text, mention.pattern, city.code, city.name), mention)


# Clauses, asides and joined districts: what the text between mentions and a figure says,
# apart from RegionScope because they need only the text, its tokens and a few words.


def _words_between(tokens: Sequence[Token], lo: int, hi: int) -> list[Token]:
    """The words of a stretch of the text, found by bisection: no scan of the whole text."""
    first = bisect_left(tokens, lo, key=lambda t: t.start)
    last = bisect_left(tokens, hi, key=lambda t: t.start)
    return [t for t in tokens[first:last] if t.end <= hi]


def _clause(breaks: list[int], span: Span, sentence: Span) -> Span:
    """The clause of the sentence that holds the figure's span (`breaks`: where the
    sentence's clauses break, each a one-character _CLAUSE_BREAK)."""
    start, end = sentence.start, sentence.end
    for at in breaks:
        if at + 1 <= span.start:
            start = at + 1
        elif at >= span.end:
            end = at
            break
    return new_tuple(Span, (start, end))


def _aside_clauses(
    text: str, tokens: Sequence[Token], aside_words: TermSet, sentence: Span, breaks: list[int]
) -> list[Span]:
    """Clauses of the sentence opened by an aside word («…, который входил в ЮКО,»)."""
    asides: list[Span] = []
    start = sentence.start
    for stop in [*breaks, sentence.end]:
        words = _words_between(tokens, start, stop)
        if words and aside_words.match_at(words, 0, text):
            asides.append(Span(start, stop))
        start = stop + 1
    return asides


def _joined_district(
    best: Mention,
    inside: list[Mention],
    span: Span,
    text: str,
    tokens: Sequence[Token],
    conjunctions: TermSet,
) -> bool:
    """Another district joined to it by a conjunction or comma on the same side of the figure."""
    for other in inside:
        same_side = (other.start < span.start) == (best.start < span.start)
        if other is best or other.kind != "district" or not same_side:
            continue
        lo, hi = min(best.end, other.end), max(best.start, other.start)
        words = _words_between(tokens, lo, hi)
        gap = LETTER_RUN.sub("", text[lo:hi])
        if _LIST_GAP.fullmatch(gap) and all(
            w.kind == "word" and conjunctions.match_at([w], 0, text) for w in words
        ):
            return True
    return False


def _beside(district: Mention, region: Mention, text: str) -> bool:
    gap = text[min(district.end, region.end) : max(district.start, region.start)]
    return district.code == region.code and len(gap.strip()) == 0


def _distance(span: Span, mention: Mention) -> int:
    # A mention after the figure counts as one character farther: «в Акмолинской (6,4%),
    # Мангистауской (8,6%)» gives each figure the name before it.
    if mention.end <= span.start:
        return span.start - mention.end
    return max(0, mention.start - span.end) + 1


def _context_region(mentions: Sequence[Mention], before: int, paragraph: Span, home: Mention | None) -> str:
    """The region last named before a position in its paragraph, else the document's."""
    named = [m for m in mentions if paragraph.start <= m.start < before and m.names_region and m.code]
    if named:
        return named[-1].code
    return home.code if home is not None else ""


def _resolve_districts(doc: Document, mentions: list[Mention], gaz: Gazetteer, home: Mention | None) -> list:
    """Each district mention narrowed to the one unit its context allows, or dropped:
    «Абай ауданы» is in two regions, «в Кокшетау» counts where Akmola is the region in context."""
    plain = {id(m) for m in mentions if m.kind != "district" or (len(m.units) == 1 and not m.conditional)}
    naming = [m for m in mentions if id(m) in plain and m.names_region and m.code]
    naming_starts = [m.start for m in naming]
    paragraph_starts = [p.start for p in doc.paragraphs]
    resolved = []
    for m in mentions:
        if id(m) in plain:
            resolved.append(m)
            continue
        # the region last named before it in its paragraph, else the document's (by bisection)
        k = bisect_right(paragraph_starts, m.start) - 1
        low = doc.paragraphs[k].start if k >= 0 and m.start < doc.paragraphs[k].end else m.start
        j = bisect_left(naming_starts, m.start) - 1
        region = naming[j].code if j >= 0 and naming[j].start >= low else (home.code if home else "")
        units = [u for u in m.units if gaz.units[u].region == region]
        if len(units) == 1:
            resolved.append(m._replace(code=region, units=(units[0],), conditional=False))
    return resolved


def region_scope(doc: Document, tokens: Sequence[Token], gaz: Gazetteer) -> RegionScope:
    paragraph_starts = [p.start for p in doc.paragraphs]

    def in_paragraph(m: Mention) -> bool:
        k = bisect_right(paragraph_starts, m.start) - 1
        return k >= 0 and m.start < doc.paragraphs[k].end

    mentions = [m for m in find_mentions(doc.text, tokens, gaz) if in_paragraph(m)]
    title, national_title = _title(doc, [m for m in mentions if not m.conditional])
    counts = Counter(m.code for m in mentions if m.names_region and not m.conditional)
    dominant = None
    if counts:
        top = counts.most_common(1)[0][0]
        dominant = next(m for m in mentions if m.code == top and m.names_region)
    dateline = _dateline(doc, gaz)
    if dateline is not None:  # «УРАЛЬСК.КАЗИНФОРМ»: the dateline is the document's place, not a figure's
        mentions = [m for m in mentions if not (m.start < dateline.end and dateline.start < m.end)]
    mentions = _resolve_districts(doc, mentions, gaz, title or dateline or dominant)
    title, national_title = _title(doc, mentions)
    sentences = tuple(new_tuple(Span, (s.start, s.end)) for s in doc.sentences)
    return RegionScope(
        doc.text, gaz, tuple(mentions), title, national_title, dateline, dominant, sentences, tuple(tokens)
    )


def _title(doc: Document, mentions: list[Mention]) -> tuple[Mention | None, Mention | None]:
    if doc.title_span is None:
        return None, None
    in_title = [m for m in mentions if doc.title_span.start <= m.start < doc.title_span.end]
    title = next((m for m in in_title if m.names_region), None)
    return title, next((m for m in in_title if m.kind == "national"), None)


def _dateline(doc: Document, gaz: Gazetteer) -> Mention | None:
    body = [p for p in doc.paragraphs if p != doc.title_span]
    rules = document_rules()
    for span, pattern in [(p, rules.dateline) for p in body] + [
        (s, rules.signature) for s in [*body, *doc.furniture]
    ]:
        m = pattern.match(doc.text, span.start, span.end)
        if m:
            place = m.group("place")
            code = place_region(place, tokenize(place), gaz)
            if code:
                return Mention(m.start("place"), m.end("place"), code, place, "dateline")
    return None
