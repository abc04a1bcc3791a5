"""`derek explain` as text: each figure with what was read and why, and where it stands in
its sentence. Everything taken from the input is printed through `printable`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from extractor.api import extract_text
from extractor.langdata import available_languages
from extractor.reader import Article, Failure, input_files, read_file
from extractor.record import Record
from extractor.tagging import Tagger
from extractor.terminal import printable

MARKS = ("»", "«")  # around the figure where the output is not a terminal
UNDERLINE = ("\x1b[4m", "\x1b[0m")  # on a terminal


@dataclass(frozen=True)
class ExplainOptions:
    lang: str | None  # None: the article's own (a feed's field), else detected
    published: str | None  # None: the article's own
    tagger: Tagger
    underline: bool = False  # mark figures with ANSI underline instead of »«


def text_article(text: str) -> Article:
    """A text given on the command line, as the reader would give it."""
    return Article("text", "", text, "")


def file_articles(path: Path) -> Iterator[Article | Failure]:
    """The articles of a file or folder, read as `derek extract` reads them."""
    for found in input_files([path]):
        yield from read_file(found)


def marked_sentence(record: Record, text: str, underline: bool = False) -> str:
    """The record's sentence with its figure marked, as printable text."""
    sentence = record.sentence
    # the sentence holds the figure: it starts at most len(sentence) before its end
    start = text.find(sentence, max(0, record.char_end - len(sentence)))
    if start < 0 or start > record.char_start:
        return printable(sentence)
    low, high = record.char_start - start, record.char_end - start
    opening, closing = UNDERLINE if underline else MARKS
    inside = printable(sentence[low:high])
    return f"{printable(sentence[:low])}{opening}{inside}{closing}{printable(sentence[high:])}"


def describe(record: Record, text: str = "", underline: bool = False) -> str:
    """One figure as `derek explain` shows it; with the text, its sentence marked too."""
    where = record.region_code or "-"
    lines = [
        f"«{printable(record.value_text)}» [{record.char_start}:{record.char_end}]",
        f"  value {record.value:g} {record.unit}"
        + (f" ({record.qualifier})" if record.qualifier else "")
        + f"  {record.measure}, {record.status}",
        f"  region {where} {record.region_name} «{printable(record.region_mention)}»"
        f"  year {record.year or '-'} {record.period}",
        f"  indicator {record.indicator or '-'}",
        "  patterns: " + printable(", ".join(record.patterns)),
    ]
    if text:
        lines.append("  sentence: " + marked_sentence(record, text, underline))
    return "\n".join(lines)


def explain_article(article: Article, options: ExplainOptions, heading: bool) -> str:
    """An article's figures, described; with heading, a line naming the article first."""
    own_lang = article.lang if article.lang in available_languages() else None
    records = extract_text(
        article.text,
        lang=options.lang or own_lang,
        published=options.published or article.published,
        doc_id=article.doc_id,
        title=article.title,
        source=article.source,
        tagger=options.tagger,
    )
    lines = [f"== {printable(article.doc_id)}: {printable(article.source)}"] if heading else []
    lines += [describe(r, article.text, options.underline) for r in records] or ["no figures found"]
    return "\n".join(lines)


def explain(
    items: Iterable[Article | Failure], options: ExplainOptions, out: TextIO, err: TextIO, heading: bool
) -> int:
    """Print each article's figures to out and each unreadable one's reason to err; the
    number of articles explained."""
    explained = 0
    for item in items:
        if isinstance(item, Failure):
            print(f"derek explain: {printable(item.source)}: {printable(item.reason)}", file=err)
            continue
        print(explain_article(item, options, heading), file=out)
        explained += 1
    return explained
