"""Years and periods: explicit, relative and compared years; the publication date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import dateparser
import regex

from extractor.caseless import lowered_text
from extractor.document import Document, Span
from extractor.langdata import LanguageData
from extractor.numbers.digits import to_int
from extractor.terms import normalize_word
from extractor.tokens import LETTER_RUN, Token

_CLOCK = regex.compile(r"\b\d{1,2}:\d{2}\b")
_DIGIT = regex.compile(r"\d")
STAMP_MAX_SPACES = 15  # longer lines are prose, not a publication stamp
_ISO = regex.compile(r"(?<!\d)(\d{4})-(\d\d)-(\d\d)(?!\d)")
_DMY = regex.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])")
FIRST_YEAR, LAST_YEAR = 1990, 2100  # a publication date outside is a typo or an id


class TimeMention(NamedTuple):
    start: int
    end: int
    role: str  # year | date | months | comparison | relative
    year: int | None  # None for a relative year that cannot be resolved
    period: str
    pattern: str
    newer: int | None = None  # for a comparison: the publication year, when it is later


def _month_number(lang: LanguageData, word: str) -> int | None:
    return _month_of(lang.months, normalize_word(word))


@lru_cache(maxsize=4096)  # month words are few; the stems are tried one by one
def _month_of(months: tuple[tuple[int, str], ...], norm: str) -> int | None:
    for number, stem in months:
        if regex.match(stem, norm):
            return number
    return None


def find_time_mentions(
    text: str, lang: LanguageData, tokens: Sequence[Token], published: str | None
) -> list[TimeMention]:
    """Every year-bearing phrase of the text, earlier patterns winning overlaps."""
    mentions: list[TimeMention] = []
    taken = bytearray(len(text))  # 1 where a mention already stands: linear in the text
    lowered = lowered_text(text)
    for pattern in lang.time_patterns:
        for m in pattern.scan.finditer(text, lowered):
            if taken.find(1, m.start(), m.end()) >= 0:
                continue
            mention = _mention(m, text, pattern.role, f"{lang.code}.time.{pattern.id}", lang)
            if mention is not None and mention.role == "comparison" and mention.year is None:
                # «по сравнению с прошлым годом»: last year, the publication year being newer
                year = int(published[:4]) - 1 if published else None
                mention = mention._replace(year=year, newer=year + 1 if year else None)
            if mention is not None:
                mentions.append(mention)
                taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    base = int(published[:4]) if published else None
    for match in lang.relative_years.find_all(tokens, text):
        if taken.find(1, match.start, match.end) >= 0:
            continue  # part of a comparison or a period already read
        year = base + int(match.label) if base is not None else None
        fired = f"{lang.code}.time.relative:{match.term}"
        mentions.append(TimeMention(match.start, match.end, "relative", year, "", fired))
    return sorted(mentions, key=lambda mention: mention.start)


def _groups(m: regex.Match, text: str) -> dict[str, str]:
    """The groups that took part in the match, read from the text by their offsets (the match
    may come from the text lower-cased)."""
    taking = (name for name, value in m.groupdict().items() if value is not None)
    return {name: text[m.start(name) : m.end(name)] for name in taking}


def _mention(m: regex.Match, text: str, role: str, pattern: str, lang: LanguageData) -> TimeMention | None:
    groups = _groups(m, text)
    year = to_int(groups["year"]) if groups.get("year") else None
    period = ""
    if role == "date":
        month = _month_number(lang, groups["month"])
        day = to_int(groups["day"])
        if month is None or not 1 <= day <= 31 or year is None:
            return None
        period = f"{year:04d}-{month:02d}-{day:02d}"
    elif role == "day" and _month_number(lang, groups["month"]) is None:
        return None
    elif role == "months" and year is not None:
        span = _months_span(groups, lang)
        if span is None:
            return None
        period = f"{year:04d}-{span[0]:02d}/{year:04d}-{span[1]:02d}"
    return TimeMention(m.start(), m.end(), role, year, period, pattern)


def _months_span(groups: dict[str, str], lang: LanguageData) -> tuple[int, int] | None:
    """First and last month of a period: «за 9 месяцев» (group months), a quarter (groups
    q1..q4), a half-year (h1, h2), «январь–сентябрь» (first, last month names)."""
    if "months" in groups:
        months = to_int(groups["months"])
        return (1, months) if 1 <= months <= 12 else None
    for n in range(1, 5):
        if f"q{n}" in groups:
            return (3 * n - 2, 3 * n)
    for n in (1, 2):
        if f"h{n}" in groups:
            return (6 * n - 5, 6 * n)
    if "first" in groups and "last" in groups:
        first, last = _month_number(lang, groups["first"]), _month_number(lang, groups["last"])
        if first is not None and last is not None and first <= last:
            return (first, last)
    return None


def year_for(
    span: Span, sentence: Span, paragraph: Span, mentions: Sequence[TimeMention], text: str
) -> TimeMention | None:
    """The mention that dates a figure, by SPEC's scoping rules.

    A comparison year dates the figure to the newer year: the one the text carries, else the
    publication year for «than last year», else the year after; the caller gets a mention
    whose year is shifted.
    """
    in_sentence = [m for m in mentions if sentence.start <= m.start < sentence.end]
    inside = _in_reach(span, [m for m in in_sentence if m.year], text)
    direct = [m for m in inside if m.role != "comparison"]
    if direct:
        # the nearest year no other number claims (nearest first: usually one check)
        ranked = sorted(direct, key=lambda m: _distance(span, m, text))
        return next((m for m in ranked if not _claimed(span, m, text, sentence, in_sentence)), ranked[0])
    compared = [m for m in inside if m.role == "comparison"]
    if compared:
        nearest = min(compared, key=lambda m: _distance(span, m, text))
        assert nearest.year is not None
        # a point date («на 1 января 2023 года») closes the year before: it is no newer year
        years = [m for m in mentions if m.role != "date"]
        carried = _carried(sentence, paragraph, years, earlier=True)
        newer = carried.year if carried and carried.year and carried.year > nearest.year else None
        shifted = newer or nearest.newer or nearest.year + 1
        return TimeMention(nearest.start, nearest.end, "comparison", shifted, "", nearest.pattern)
    return _carried(sentence, paragraph, mentions)


def _carried(
    sentence: Span, paragraph: Span, mentions: Sequence[TimeMention], earlier: bool = False
) -> TimeMention | None:
    """The year the paragraph carries to a sentence without one: the last before it, else the
    first after it; with earlier, also the last of the paragraphs before."""
    carried = [m for m in mentions if m.year and m.role != "comparison"]
    low = 0 if earlier else paragraph.start
    before = [m for m in carried if low <= m.start < sentence.start]
    if before and before[-1].start >= paragraph.start:
        return before[-1]
    after = [m for m in carried if sentence.end <= m.start < paragraph.end]
    if after:
        return after[0]
    return before[-1] if before else None


PARENTHESIS_REACH = 1000  # characters


def _parenthesis(text: str, position: int) -> tuple[int, int] | None:
    """The parenthesis of position's line that holds it, as (open, close) offsets."""
    # within its line, and never farther than a parenthesis of prose reaches: a text without
    # line breaks would otherwise be scanned whole for every figure
    low = max(0, position - PARENTHESIS_REACH)
    high = min(len(text), position + PARENTHESIS_REACH)
    line_start = text.rfind("\n", low, position) + 1 or low
    line_end = text.find("\n", position, high)
    line_end = high if line_end < 0 else line_end
    opened = text.rfind("(", line_start, position)
    if opened < 0 or text.rfind(")", opened, position) >= 0:
        return None
    closed = text.find(")", position, line_end)
    return (opened, closed) if closed >= 0 else None


def _in_reach(span: Span, inside: list[TimeMention], text: str) -> list[TimeMention]:
    """«(2020 жылы – 6,1%)»: a year in a parenthesis dates only the figures inside it, and a
    figure inside one takes the year there when it has one."""
    own = _parenthesis(text, span.start) if inside else None
    if own is not None:
        within = [m for m in inside if own[0] < m.start < own[1]]
        if within:
            return within
    reach = []
    for m in inside:
        paren = _parenthesis(text, m.start)
        if paren is None or paren[0] < span.start < paren[1]:
            reach.append(m)
    return reach


_NUMBER = regex.compile(r"\d+(?:[ \u00a0.,]\d+)*(?:\s*%)?")


def _claimed(
    span: Span, mention: TimeMention, text: str, sentence: Span, mentions: Sequence[TimeMention]
) -> bool:
    """A year standing nearer another number of the sentence than the figure belongs to that
    one («с 6,2% в 2021 году до 5,8% по итогам 2022 года»)."""
    mine = _distance(span, mention, text)
    for m in _NUMBER.finditer(text, sentence.start, sentence.end, concurrent=False):
        if span.start <= m.start() < span.end or span.start <= m.end() - 1 < span.end:
            continue
        if any(t.start <= m.start() < t.end for t in mentions):
            continue  # a year or date itself
        if _distance(Span(m.start(), m.end()), mention, text) < mine:
            return True
    return False


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
    header = _numeric_date(doc.headers.get("date") or "")
    if header:
        return header  # an implausible header («date 7738-02-12») gives way to a stamp
    # archive and publication stamps usually sit in the furniture around the article
    text = doc.text
    for line in [*sorted(doc.furniture, key=lambda s: s.start), *doc.paragraphs]:
        if text.count(" ", line.start, line.end) > STAMP_MAX_SPACES:
            continue  # prose, told without copying the paragraph (_stamp_date says it too)
        found = _stamp_date(text[line.start : line.end], lang)
        if found:
            return found
    return None


def _stamp_date(line: str, lang: LanguageData) -> str | None:
    """The date on a line that is a publication stamp («… мұрағатталған 30 Желтоқсан 2025 10:15»)."""
    if not _DIGIT.search(line) or line.count(" ") > STAMP_MAX_SPACES:
        return None  # a stamp is a short line, and its date has a day or a year in digits
    words = [normalize_word(w) for w in LETTER_RUN.findall(line)]
    cue = any(lang.publication_cues.matches_word(w) is not None for w in words)
    if not cue and not (_CLOCK.search(line) and len(words) <= 6):
        return None
    for pattern in lang.time_patterns:
        if pattern.role != "date":
            continue
        m = pattern.regex.search(line)
        if m:  # the pattern's own day, month and year: no general date parser needed
            mention = _mention(m, line, "date", pattern.id, lang)
            return _valid_iso(*mention.period.split("-")) if mention else None
    return _numeric_date(line)


def _numeric_date(line: str) -> str | None:
    """The first plausible «2025-10-30» or «13.12.2023» of a line, as an ISO date."""
    for m in _ISO.finditer(line):
        found = _valid_iso(*m.groups())
        if found:
            return found
    for m in _DMY.finditer(line):
        found = _valid_iso(m.group(3), m.group(2), m.group(1))
        if found:
            return found
    return None


def _valid_iso(year: str, month: str, day: str) -> str | None:
    if not FIRST_YEAR <= to_int(year) <= LAST_YEAR:
        return None
    try:
        return dt.date(to_int(year), to_int(month), to_int(day)).isoformat()
    except ValueError:
        return None


def normalize_date(value: str | None, lang_code: str) -> str | None:
    """An ISO date from metadata written in any common form."""
    if not value:
        return None
    found = _numeric_date(value)
    if found or _ISO.search(value) or _DMY.search(value):
        return found
    parsed = dateparser.parse(value, languages=[lang_code, "en"])
    return _valid_iso(*parsed.date().isoformat().split("-")) if parsed else None
