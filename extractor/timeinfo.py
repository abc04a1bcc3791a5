"""Years and periods: explicit, relative and compared years; the publication date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import dateparser
import regex

from extractor.document import Document, Span
from extractor.langdata import LanguageData
from extractor.terms import normalize_word
from extractor.tokens import Token

_CLOCK = regex.compile(r"\b\d{1,2}:\d{2}\b")
_DIGIT = regex.compile(r"\d")
STAMP_MAX_SPACES = 15  # longer lines are prose, not a publication stamp
_ISO = regex.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)")


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    role: str  # year | date | months | comparison | relative
    year: int | None  # None for a relative year that cannot be resolved
    period: str
    pattern: str


def _month_number(lang: LanguageData, word: str) -> int | None:
    norm = normalize_word(word)
    for number, stem in lang.months:
        if regex.match(stem, norm):
            return number
    return None


def find_time_mentions(
    text: str, lang: LanguageData, tokens: Sequence[Token], published: str | None
) -> list[TimeMention]:
    """Every year-bearing phrase of the text, earlier patterns winning overlaps."""
    mentions: list[TimeMention] = []
    taken: list[Span] = []
    for pattern in lang.time_patterns:
        for m in pattern.regex.finditer(text):
            if any(m.start() < s.end and s.start < m.end() for s in taken):
                continue
            mention = _mention(m, pattern.role, f"{lang.code}.time.{pattern.id}", lang)
            if mention is not None:
                mentions.append(mention)
                taken.append(Span(m.start(), m.end()))
    base = int(published[:4]) if published else None
    for match in lang.relative_years.find_all(tokens, text):
        year = base + int(match.label) if base is not None else None
        pattern = f"{lang.code}.time.relative:{match.term}"
        mentions.append(TimeMention(match.start, match.end, "relative", year, "", pattern))
    return sorted(mentions, key=lambda mention: mention.start)


def _mention(m: regex.Match, role: str, pattern: str, lang: LanguageData) -> TimeMention | None:
    year = int(m.group("year")) if m.groupdict().get("year") else None
    period = ""
    if role == "date":
        month = _month_number(lang, m.group("month"))
        day = int(m.group("day"))
        if month is None or not 1 <= day <= 31 or year is None:
            return None
        period = f"{year:04d}-{month:02d}-{day:02d}"
    elif role == "day" and _month_number(lang, m.group("month")) is None:
        return None
    elif role == "months" and year is not None:
        months = int(m.group("months"))
        if not 1 <= months <= 12:
            return None
        period = f"{year:04d}-01/{year:04d}-{months:02d}"
    return TimeMention(m.start(), m.end(), role, year, period, pattern)


def year_for(
    span: Span, sentence: Span, paragraph: Span, mentions: Sequence[TimeMention], text: str
) -> TimeMention | None:
    """The mention that dates a figure, by SPEC's scoping rules.

    A comparison year dates the figure to the year after it; the caller gets a mention whose
    year is already shifted.
    """
    inside = [m for m in mentions if sentence.start <= m.start < sentence.end and m.year]
    direct = [m for m in inside if m.role != "comparison"]
    if direct:
        return min(direct, key=lambda m: _distance(span, m, text))
    compared = [m for m in inside if m.role == "comparison"]
    if compared:
        nearest = min(compared, key=lambda m: _distance(span, m, text))
        shifted = nearest.year + 1 if nearest.year else None
        return TimeMention(nearest.start, nearest.end, "comparison", shifted, "", nearest.pattern)
    carried = [
        m
        for m in mentions
        if paragraph.start <= m.start < paragraph.end and m.year and m.role != "comparison"
    ]
    before = [m for m in carried if m.start < sentence.start]
    if before:
        return before[-1]
    after = [m for m in carried if m.start >= sentence.end]
    return after[0] if after else None


CLAUSE_PENALTY = 1000  # characters: a year in the figure's own clause wins over a nearer one


def _distance(span: Span, mention: TimeMention, text: str) -> int:
    if mention.end <= span.start:
        low, high = mention.end, span.start
    else:
        low, high = span.end, max(span.end, mention.start)
    between = text[low:high]
    return high - low + CLAUSE_PENALTY * sum(between.count(ch) for ch in ",;")


def find_published(doc: Document, lang: LanguageData) -> str | None:
    """The publication date from a header line or an in-text stamp, as an ISO date."""
    if doc.headers.get("date"):
        return doc.headers["date"]
    # archive and publication stamps usually sit in the furniture around the article
    for line in [*sorted(doc.furniture, key=lambda s: s.start), *doc.paragraphs]:
        found = _stamp_date(doc.text[line.start : line.end], lang)
        if found:
            return found
    return None


def _stamp_date(line: str, lang: LanguageData) -> str | None:
    """The date on a line that is a publication stamp («… мұрағатталған 30 Желтоқсан 2025 10:15»)."""
    if not _DIGIT.search(line) or line.count(" ") > STAMP_MAX_SPACES:
        return None  # a stamp is a short line, and its date has a day or a year in digits
    words = [normalize_word(w) for w in regex.findall(r"\p{L}+", line)]
    cue = any(lang.publication_cues.matches_word(w) is not None for w in words)
    if not cue and not (_CLOCK.search(line) and len(words) <= 6):
        return None
    for pattern in lang.time_patterns:
        if pattern.role != "date":
            continue
        m = pattern.regex.search(line)
        if m:
            parsed = dateparser.parse(m.group(0), languages=[lang.code])
            if parsed is not None:
                return parsed.date().isoformat()
            mention = _mention(m, "date", pattern.id, lang)
            return mention.period if mention else None
    iso = _ISO.search(line)
    if iso:
        return _valid_iso(*iso.groups())
    return None


def _valid_iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def normalize_date(value: str | None, lang_code: str) -> str | None:
    """An ISO date from metadata written in any common form."""
    if not value:
        return None
    iso = _ISO.search(value)
    if iso:
        return _valid_iso(*iso.groups())
    parsed = dateparser.parse(value, languages=[lang_code, "en"])
    return parsed.date().isoformat() if parsed else None
