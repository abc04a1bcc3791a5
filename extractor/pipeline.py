"""From a document's text to records: small stages that declare what they need and provide."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from extractor.classify import Cues, TopicFlow, choose_indicator, choose_status
from extractor.document import Document, Sentence, Span, lay_out, mask_spans
from extractor.figures import Figure, FigureFinder
from extractor.langdata import TENSE_PLAN, LanguageData, load_language
from extractor.places import NATIONAL, NATIONAL_NAME, RegionScope, region_scope
from extractor.places.gazetteer import gazetteer
from extractor.record import Record, record_id
from extractor.runcontrol import checkpoint
from extractor.tagging import NoTagger, Tagger, tag_sentences
from extractor.timeinfo import (
    FIRST_YEAR,
    LAST_YEAR,
    TimeMention,
    find_published,
    find_time_mentions,
    year_for,
)
from extractor.tokens import Token, new_tuple, tokenize


@dataclass
class Found:
    """A figure with what the later stages learn about it."""

    sentence: Sentence
    figure: Figure
    region: str = ""
    region_mention: str = ""
    district_code: str = ""
    district_name: str = ""
    year: int | None = None
    period: str = ""
    indicator: str = ""
    status: str = "actual"
    fired: list[str] = field(default_factory=list)
    evidence: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class Context:
    doc: Document
    lang: LanguageData
    tagger: Tagger = field(default_factory=NoTagger)
    tokens: list[Token] = field(default_factory=list)
    masks: list[Span] = field(default_factory=list)
    blocked: bytearray = field(default_factory=bytearray)  # 1 where digits are never figures
    times: list[TimeMention] = field(default_factory=list)
    regions: RegionScope | None = None
    found: list[Found] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    run: Callable[[Context], None]


def _layout(ctx: Context) -> None:
    lay_out(ctx.doc, ctx.lang, ctx.tokens)
    if ctx.doc.published is None:
        ctx.doc.published = find_published(ctx.doc, ctx.lang)


def _tokens(ctx: Context) -> None:
    if not ctx.tokens:
        ctx.tokens = tokenize(ctx.doc.text)
    ctx.masks = mask_spans(ctx.doc.text)


def _blocked(ctx: Context) -> None:
    # one flag per character: a token is masked if any of its characters is
    ctx.blocked = bytearray(len(ctx.doc.text))
    for span in [*ctx.masks, *(Span(t.start, t.end) for t in ctx.times)]:
        ctx.blocked[span.start : span.end] = b"\x01" * (span.end - span.start)


def _masked(ctx: Context, sentence: Sentence) -> set[int]:
    """Indexes of the sentence's tokens that hold a blocked character: the scan goes from one
    blocked character to the next (most sentences hold none), not token by token."""
    tokens, blocked = sentence.tokens, ctx.blocked
    masked: set[int] = set()
    end = tokens[-1].end if tokens else 0
    at = blocked.find(1, tokens[0].start, end) if tokens else -1
    i, count = 0, len(tokens)
    while at >= 0:
        while i < count and tokens[i].end <= at:
            i += 1
        if i == count:
            break
        if tokens[i].start <= at:  # inside token i
            masked.add(i)
            at = blocked.find(1, tokens[i].end, end)
        else:  # in the gap before it: is one inside it, or further on?
            at = blocked.find(1, tokens[i].start, end)
    return masked


_FINDERS: dict[int, FigureFinder] = {}


def _finder(lang: LanguageData) -> FigureFinder:
    """One finder per loaded language: its caches of words outlive a document."""
    finder = _FINDERS.get(id(lang))
    if finder is None or finder.lang is not lang:
        finder = _FINDERS[id(lang)] = FigureFinder(lang)
    return finder


def _tags(ctx: Context) -> None:
    """Tag the sentences that hold a candidate figure (the tagger is the slow stage)."""
    finder = _finder(ctx.lang)

    def holds_figure(sentence: Sentence) -> bool:
        return bool(finder.find(sentence.tokens, ctx.doc.text, _masked(ctx, sentence), []))

    ctx.doc.sentences = tag_sentences(ctx.doc.text, ctx.doc.sentences, ctx.tagger, ctx.lang, holds_figure)


def _times(ctx: Context) -> None:
    ctx.times = find_time_mentions(ctx.doc.text, ctx.lang, ctx.tokens, ctx.doc.published)


def _regions(ctx: Context) -> None:
    # a document without figures needs no places (many a night's articles have none)
    ctx.regions = region_scope(ctx.doc, ctx.tokens, gazetteer()) if ctx.found else None


def _figures(ctx: Context) -> None:
    finder = _finder(ctx.lang)
    by_paragraph: dict[int, list[Figure]] = {}
    for sentence in ctx.doc.sentences:
        masked = _masked(ctx, sentence)
        # A partitive figure («олардың 870-і») refers back within its paragraph, or to the last one.
        earlier = by_paragraph.get(sentence.paragraph) or by_paragraph.get(sentence.paragraph - 1, [])
        figures = finder.find(sentence.tokens, ctx.doc.text, masked, earlier)
        ctx.found.extend(Found(sentence, f, fired=list(f.fired)) for f in figures)
        by_paragraph.setdefault(sentence.paragraph, []).extend(figures)


# Scope looks this far around a sentence at most: a text without line breaks is one
# "paragraph", and looking through all of it for every figure would grow with its square.
SCOPE_WINDOW = 5000


def _scope(ctx: Context) -> None:
    if ctx.regions is None:  # no figure to place
        return
    time_starts = [m.start for m in ctx.times]
    for item in ctx.found:
        span = new_tuple(Span, (item.figure.start, item.figure.end))
        sentence = new_tuple(Span, (item.sentence.start, item.sentence.end))
        whole = ctx.doc.paragraphs[item.sentence.paragraph]
        reach = (max(whole.start, sentence.start - SCOPE_WINDOW), min(whole.end, sentence.end + SCOPE_WINDOW))
        paragraph = new_tuple(Span, reach)
        place = ctx.regions.place_for(span, sentence, paragraph)
        if place is not None:
            item.region, item.region_mention = place.code, place.text
            item.district_code, item.district_name = place.district, place.district_name
            item.fired.append(place.pattern)
            if place.start >= 0:
                item.evidence.append(("district" if place.district else "region", place.start, place.end))
        # the time mentions within reach: from a window before the sentence to the paragraph's end
        first = bisect_left(time_starts, sentence.start - SCOPE_WINDOW)
        times = ctx.times[first : bisect_left(time_starts, paragraph.end)]
        when = year_for(span, sentence, paragraph, times, ctx.doc.text)
        if when is not None and (when.year is None or FIRST_YEAR <= when.year <= LAST_YEAR):
            item.year, item.period = when.year, when.period
            item.fired.append(when.pattern)
            item.evidence.append(("year", when.start, when.end))


def _classify(ctx: Context) -> None:
    published_year = int(ctx.doc.published[:4]) if ctx.doc.published else None
    text = ctx.doc.text
    flow = TopicFlow()  # the topic carries across sentences (SPEC's indicator rule)
    cues_of: dict[int, tuple[Cues, Cues]] = {}
    last = max((item.sentence.start for item in ctx.found), default=-1)
    for sentence in ctx.doc.sentences:
        if sentence.start > last:
            break  # the sentences after the last figure pass their topic to none
        if sentence.paragraph != flow.paragraph:  # one slice per paragraph, not per sentence
            paragraph = ctx.doc.paragraphs[sentence.paragraph]
            flow.enter(sentence.paragraph, text[paragraph.start : paragraph.end])
        cues = flow.cues(Cues.of(sentence.tokens, text, ctx.lang))
        cues_of[sentence.start] = (cues, flow.back(cues))
    for item in ctx.found:
        own, back = cues_of[item.sentence.start]
        cues = back if "partitive" in item.figure.fired else own
        item.indicator, fired = choose_indicator(item.figure, cues, ctx.lang.code)
        item.status, status_fired = choose_status(item.figure, cues, ctx.lang.code)
        item.fired.extend(fired + status_fired)
        if item.status == TENSE_PLAN:
            item.status = _tense_status(item, published_year)
        if item.figure.marker == "from":
            item.status = "actual"  # «33 759 адамнан 27 007-ге»: the starting level
        elif item.status == "actual" and published_year and item.year and item.year > published_year:
            item.status = "plan"


def _tense_status(item: Found, published_year: int | None) -> str:
    """A present-future verb form plans a figure of a later year, or of the publication year
    named in its own sentence («Биыл 200 үй салынады»); without a year of its own it tells the
    present («оның 3,1%-ы атаулы көмек алады»), for an earlier year what happened. Without a
    publication date the tense cannot be placed: it plans, as the verb form says first."""
    if published_year is None:
        return "plan"
    if item.year is None:
        return "actual"
    sentence = item.sentence
    stated = any(kind == "year" and sentence.start <= at < sentence.end for kind, at, _ in item.evidence)
    return "plan" if item.year > published_year or (item.year == published_year and stated) else "actual"


def _consolidate(ctx: Context) -> None:
    """A figure repeated in a document (title and body) shares its year and indicator."""
    groups: dict[tuple[float, str], list[Found]] = {}
    for item in ctx.found:
        groups.setdefault((item.figure.value, item.figure.unit), []).append(item)
    for items in groups.values():
        years = {(i.year, i.period) for i in items if i.year is not None}
        indicators = {i.indicator for i in items if i.indicator}
        for item in items:
            if item.year is None and len(years) == 1:
                item.year, item.period = next(iter(years))
            if not item.indicator and len(indicators) == 1:
                item.indicator = next(iter(indicators))
    ctx.records = _mark_repeats([_record(ctx, item) for item in ctx.found])


def _mark_repeats(records: list[Record]) -> list[Record]:
    """repeat_of: the first record of the document that states the same figure."""
    first: dict[tuple, str] = {}
    marked = []
    for record in records:
        key = (
            record.value,
            record.value_max,
            record.unit,
            record.region_code,
            record.district_code,
            record.year,
            record.indicator,
            record.measure,
            record.status,
        )
        earlier = first.setdefault(key, record.record_id)
        marked.append(replace(record, repeat_of=earlier) if earlier != record.record_id else record)
    return marked


def _record(ctx: Context, item: Found) -> Record:
    doc, figure = ctx.doc, item.figure
    value_text = doc.text[figure.start : figure.end]
    region_name = NATIONAL_NAME if item.region == NATIONAL else gazetteer().names.get(item.region, "")
    return Record(
        record_id=record_id(doc.doc_id, figure.start, figure.end, value_text),
        doc_id=doc.doc_id,
        source=doc.source,
        lang=doc.lang,
        published=doc.published,
        title=doc.title,
        region_code=item.region,
        region_name=region_name,
        region_mention=item.region_mention,
        district_code=item.district_code,
        district_name=item.district_name,
        year=item.year,
        period=item.period,
        indicator=item.indicator,
        measure=figure.measure,
        status=item.status,
        value=_tidy(figure.value),
        value_max=None if figure.value_max is None else _tidy(figure.value_max),
        unit=figure.unit,
        qualifier=figure.qualifier,
        value_text=value_text,
        char_start=figure.start,
        char_end=figure.end,
        sentence=_sentence_around(doc.text, item.sentence, figure),
        patterns=tuple(dict.fromkeys(item.fired)),
        evidence=tuple(item.evidence),
    )


# What one record carries of its sentence: a longer one is cut around the figure, with «…»
# where it was cut, so that a file of one endless sentence cannot fill memory with copies.
MAX_RECORD_SENTENCE = 1000


def _sentence_around(text: str, sentence: Sentence, figure: Figure) -> str:
    if sentence.end - sentence.start <= MAX_RECORD_SENTENCE:
        return text[sentence.start : sentence.end]
    half = (MAX_RECORD_SENTENCE - (figure.end - figure.start)) // 2
    start = max(sentence.start, figure.start - half)
    end = min(sentence.end, figure.end + half)
    if start > sentence.start:  # cut at a space, not inside a word
        space = text.find(" ", start, figure.start)
        start = space + 1 if space >= 0 else start
    if end < sentence.end:
        space = text.rfind(" ", figure.end, end)
        end = space if space >= 0 else end
    opening = "…" if start > sentence.start else ""
    closing = "…" if end < sentence.end else ""
    return f"{opening}{text[start:end].strip()}{closing}"


def _tidy(value: float) -> float:
    """Drop float noise from scaling («157,7 мың» is 157700.0, not 157700.00000000003)."""
    return float(f"{value:.12g}")


STAGES: tuple[Stage, ...] = (
    Stage("tokens", (), ("tokens", "masks"), _tokens),
    Stage("layout", ("tokens",), ("paragraphs", "sentences", "published"), _layout),
    Stage("times", ("tokens", "published"), ("times",), _times),
    Stage("blocked", ("masks", "times"), ("blocked",), _blocked),
    Stage("tags", ("sentences", "blocked"), ("lemmas", "upos"), _tags),
    Stage("figures", ("sentences", "upos", "blocked"), ("found",), _figures),
    Stage("regions", ("tokens", "paragraphs", "found"), ("regions",), _regions),
    Stage("scope", ("found", "regions", "times"), ("region", "year"), _scope),
    Stage("classify", ("found", "year", "lemmas"), ("indicator", "status"), _classify),
    Stage("consolidate", ("indicator", "status", "region"), ("records",), _consolidate),
)


def check_order(stages: Sequence[Stage]) -> None:
    """Every stage's needs are provided by a stage before it."""
    provided: set[str] = set()
    for stage in stages:
        missing = set(stage.requires) - provided
        if missing:
            raise ValueError(f"stage {stage.name!r} needs {sorted(missing)} before it")
        provided.update(stage.provides)


check_order(STAGES)


def run_document(
    doc: Document,
    tagger: Tagger | None = None,
    stages: Sequence[Stage] | None = None,
    tokens: list[Token] | None = None,
) -> list[Record]:
    """Records of one document; `tokens`: tokenize(doc.text), where the caller made them.
    `stages`: STAGES unless given, read at each call (bench/profile_stages.py swaps it)."""
    ctx = Context(doc, load_language(doc.lang), tagger or NoTagger(), tokens or [])
    for stage in STAGES if stages is None else stages:
        checkpoint()  # a time limit in a thread without SIGALRM stops here
        stage.run(ctx)
    return ctx.records
