"""A document's layout: header lines, title, body paragraphs, sentences, furniture."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import regex

from extractor.caseless import CaselessPattern, lowered_text
from extractor.langdata import PATTERNS_DIR, LanguageData, available_languages, load_language
from extractor.schema import PatternFile
from extractor.terms import normalize_word
from extractor.tokens import WORD, Token, new_tuple, tokenize


class Span(NamedTuple):
    start: int
    end: int


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int  # index into Document.paragraphs
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class DocumentRules:
    """Script-independent rules from patterns/document.yaml plus every language's furniture."""

    headers: dict[str, regex.Pattern[str]]
    # every skip line pattern in one alternation, a line being furniture when any matches: one
    # call per line, not one per pattern; tried where the line starts when all are anchored there
    skip_line: regex.Pattern[str] | None
    skip_anchored: bool
    masks: dict[str, CaselessPattern]  # matched on lower-cased text where that finds the same
    mask_hints: dict[str, tuple[str, ...]]  # strings one of which a mask's text always holds
    dateline: regex.Pattern[str]
    signature: regex.Pattern[str]
    end_markers: tuple[str, ...]
    skip_prefixes: tuple[str, ...]
    prefix_length: int  # the longest of them: how much of a line's start they look at


@cache
def document_rules() -> DocumentRules:
    f = PatternFile(PATTERNS_DIR / "document.yaml")

    def compiled(key: str) -> dict[str, regex.Pattern[str]]:
        mapping = f.get(key)
        if not isinstance(mapping, dict):
            raise f.error(key, "must map names to regular expressions")
        return {name: f.pattern(f"{key}.{name}", str(src)) for name, src in mapping.items()}

    languages = [load_language(code) for code in available_languages()]
    end_markers = tuple(normalize_word(m) for lang in languages for m in lang.end_markers)
    skip_prefixes = tuple(normalize_word(m) for lang in languages for m in lang.skip_lines)
    skips = list(compiled("skip_lines").values())
    return DocumentRules(
        headers=compiled("headers"),
        skip_line=_any_of(skips),
        skip_anchored=all(pattern.pattern.startswith("^") for pattern in skips),
        masks={name: CaselessPattern(pattern) for name, pattern in compiled("masks").items()},
        mask_hints=_hints(f, "mask_hints"),
        dateline=f.pattern("dateline", str(f.get("dateline")), ignore_case=False),
        signature=f.pattern("signature", str(f.get("signature")), ignore_case=False),
        end_markers=end_markers,
        skip_prefixes=skip_prefixes,
        prefix_length=max(map(len, (*end_markers, *skip_prefixes)), default=0),
    )


def _any_of(patterns: list[regex.Pattern[str]]) -> regex.Pattern[str] | None:
    if not patterns:
        return None
    return regex.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


def _hints(f: PatternFile, key: str) -> dict[str, tuple[str, ...]]:
    mapping = f.get(key, {}) or {}
    masks = f.get("masks")
    if not isinstance(mapping, dict) or not all(isinstance(v, list) for v in mapping.values()):
        raise f.error(key, "must map mask names to lists of strings")
    unknown = set(mapping) - set(masks)
    if unknown:
        raise f.error(key, f"names no mask: {sorted(unknown)}")
    return {name: tuple(str(hint).casefold() for hint in hints) for name, hints in mapping.items()}


@dataclass
class Document:
    text: str
    doc_id: str
    source: str
    lang: str
    title: str = ""
    title_span: Span | None = None
    published: str | None = None  # ISO date
    headers: dict[str, str] = field(default_factory=dict)
    paragraphs: list[Span] = field(default_factory=list)  # article text, title first
    sentences: list[Sentence] = field(default_factory=list)
    furniture: list[Span] = field(default_factory=list)  # lines kept out of extraction


def _lines(text: str) -> list[Span]:
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        end = start + len(line.rstrip("\r\n"))
        spans.append(new_tuple(Span, (start, end)))
        start += len(line)
    return spans


def _strip_headers(doc: Document, line: Span, rules: DocumentRules) -> Span:
    """Consume header fields at the start of a line («date 2025-10-30 Title…»)."""
    start = line.start
    progress = True
    while progress:
        progress = False
        for name, pattern in rules.headers.items():
            m = pattern.match(doc.text, start, line.end)
            if m:
                doc.headers.setdefault(name, m.group("value"))
                start, progress = m.end(), True
    return Span(start, line.end)


_normalize = normalize_word.__wrapped__  # uncached: line starts rarely repeat as words do


def _line_start(text: str, length: int) -> str:
    """normalize_word of the line's start, at least `length` characters of it where the line
    has them: enough to test prefixes that long. Not the whole line: a long paragraph would
    be normalized for nothing, and kept in the word cache. Cut at a space, which neither
    Unicode composition nor case folding crosses, so that the start normalizes as it would
    in the whole line."""
    stripped = text.strip()
    cut = stripped.find(" ", length)
    if cut < 0:
        return _normalize(stripped)
    head = _normalize(stripped[:cut])
    return head if len(head) >= length else _normalize(stripped)


def _is_furniture(text: str, start: str, rules: DocumentRules) -> bool:
    """`start`: the line's _line_start."""
    skip = rules.skip_line
    # a line holds no line break: patterns anchored at its start can match only there
    if skip is not None and (skip.match(text) if rules.skip_anchored else skip.search(text)):
        return True
    return start.startswith(rules.skip_prefixes)


def lay_out(doc: Document, lang: LanguageData, tokens: list[Token] | None = None) -> Document:
    """Find title, paragraphs and sentences of doc.text; mark furniture."""
    rules = document_rules()
    ended = False
    for line in _lines(doc.text):
        if not doc.text[line.start : line.end].strip():
            continue
        if len(doc.paragraphs) <= 1:  # header lines stand before or right after the title
            line = _strip_headers(doc, line, rules)
            if not doc.text[line.start : line.end].strip():
                continue
        content = doc.text[line.start : line.end]
        start = _line_start(content, rules.prefix_length)
        ended = ended or (doc.title_span is not None and start.startswith(rules.end_markers))
        if ended or _is_furniture(content, start, rules):
            doc.furniture.append(line)
            continue
        span = _trim(doc.text, line)
        if doc.title_span is None:
            doc.title_span = span
            doc.title = doc.title or doc.text[span.start : span.end]
        doc.paragraphs.append(span)
    tokens = tokenize(doc.text) if tokens is None else tokens
    within = _tokens_within(tokens, doc.paragraphs)
    for index, (paragraph, inner) in enumerate(zip(doc.paragraphs, within, strict=True)):
        doc.sentences.extend(split_sentences(doc.text, paragraph, index, lang, inner))
    return doc


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return new_tuple(Span, (start, end))


_BOUNDARY = regex.compile(r"[.!?…]+[»”\"')]*\s+(?=[\p{Lu}\d«\"“–—-])")


def _tokens_within(tokens: list[Token], spans: list[Span]) -> list[list[Token]]:
    """The tokens of a whole-text tokenization that start in each span (tokens never cross
    lines; spans in text order, apart): one walk through the tokens for all the spans."""
    found, first, count = [], 0, len(tokens)
    for span in spans:
        while first < count and tokens[first].start < span.start:
            first += 1
        last = first
        while last < count and tokens[last].start < span.end:
            last += 1
        found.append(tokens[first:last])
        first = last
    return found


def split_sentences(
    text: str, paragraph: Span, index: int, lang: LanguageData, tokens: list[Token]
) -> list[Sentence]:
    """Sentences of one paragraph (`tokens`: its tokens); a period after an abbreviation does
    not end one."""
    cuts = [paragraph.start]
    ended = 0  # how many tokens end at or before the boundary: boundaries come in text order
    for m in _BOUNDARY.finditer(text, paragraph.start, paragraph.end, concurrent=False):
        while ended < len(tokens) and tokens[ended].end <= m.start():
            ended += 1
        before = tokens[ended - 1] if ended and tokens[ended - 1].end == m.start() else None
        if before is not None and before.norm in lang.name_abbreviations:
            continue  # «г. Алматы»: a name follows
        if before is not None and before.norm in lang.abbreviations:
            nxt = text[m.end()] if m.end() < len(text) else ""
            if not nxt.isupper():
                continue  # «75 млн. 122 мың»
        cuts.append(m.end())
    cuts.append(paragraph.end)
    cuts = _bounded(text, cuts)
    spans = [_trim(text, new_tuple(Span, piece)) for piece in zip(cuts, cuts[1:], strict=False)]
    spans = [span for span in spans if span.end > span.start]
    inner = _tokens_within(tokens, spans)
    pairs = zip(spans, inner, strict=True)
    return [new_tuple(Sentence, (span.start, span.end, index, tuple(words))) for span, words in pairs]


# No sentence of the press is this long; a text without stops is cut at spaces into pieces
# of at most this size, so that the work per sentence stays bounded.
MAX_SENTENCE_CHARS = 2000


def _bounded(text: str, cuts: list[int]) -> list[int]:
    bounded = [cuts[0]]
    for end in cuts[1:]:
        while end - bounded[-1] > MAX_SENTENCE_CHARS:
            limit = bounded[-1] + MAX_SENTENCE_CHARS
            space = max(text.rfind(" ", bounded[-1] + 1, limit), text.rfind("\n", bounded[-1] + 1, limit))
            bounded.append(space + 1 if space > bounded[-1] else limit)
        bounded.append(end)
    return bounded


LEAD = "lead"  # a mask's group that says where its span starts (patterns/document.yaml)


def mask_spans(text: str) -> list[Span]:
    """Spans whose digits are never figures: clock times, numeric dates, phones, urls…"""
    rules = document_rules()
    lowered = lowered_text(text)
    folded = lowered if lowered is not None else text.casefold()  # the same text, where lowered
    spans: list[Span] = []
    for name, scan in rules.masks.items():
        hints = rules.mask_hints.get(name)
        if hints is not None and not any(hint in folded for hint in hints):
            continue
        if LEAD in scan.pattern.groupindex:  # the span starts at the lead its lookbehind holds
            spans.extend(new_tuple(Span, (_lead_start(m), m.end())) for m in scan.finditer(text, lowered))
        else:
            spans.extend(new_tuple(Span, m.span()) for m in scan.finditer(text, lowered))
    return spans


def _lead_start(m: regex.Match[str]) -> int:
    lead = m.start(LEAD)
    return m.start() if lead < 0 else min(lead, m.start())


def detect_language(text: str, tokens: Sequence[Token] | None = None) -> str:
    """The language whose letters and frequent words the text uses most (`tokens`: the
    text's, where they are made already)."""
    sample = text[:5000]
    # words as the tokenizer reads them: with combining accents and inner apostrophes;
    # the letters of the whole sample weigh most, a few hundred words are enough beside them
    if tokens is None:
        words = [normalize_word(w) for w in WORD.findall(sample, 0, 1500, concurrent=False)]
    else:
        words = []
        for token in tokens:  # in text order
            if token.end > 1500:
                break
            if token.kind == "word":
                words.append(token.norm)
    # casefolded as a whole and cut where the lower case keeps every offset (lowered_text,
    # which the pipeline asks for next): the same as the sample's own, with no second pass
    lowered = lowered_text(text)
    folded = lowered[:5000] if lowered is not None else sample.casefold()
    scores = {}
    for code in available_languages():
        lang = load_language(code)
        letters = sum(folded.count(letter) for letter in lang.letters)  # a few letters: str.count each
        scores[code] = 3 * letters + sum(map(lang.words.__contains__, words))
    return max(sorted(scores), key=lambda code: scores[code])
