"""The Python interface: extract_text for one text, extract_files for files and folders."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.document import Document, detect_language
from extractor.langdata import available_languages
from extractor.pipeline import run_document
from extractor.reader import Article, Failure, input_files, read_file
from extractor.record import COLUMNS, Record
from extractor.tagging import Tagger, make_tagger
from extractor.timeinfo import normalize_date
from extractor.tokens import tokenize

if TYPE_CHECKING:  # pandas is imported where frames are made: workers never need it
    import pandas as pd

# the dataset's columns that are not text; `published` is ISO date text (None when unknown)
FRAME_TYPES = {
    "year": "Int64",
    "value": "float64",
    "value_max": "float64",
    "char_start": "int64",
    "char_end": "int64",
}
TEXT_COLUMNS = tuple(name for name in COLUMNS if name not in FRAME_TYPES and name != "published")
MANIFEST_COLUMNS = (
    "doc_id",
    "source",
    "lang",
    "status",
    "records",
    "error",
    "sha256",
    "processed_at",
)


@dataclass(frozen=True)
class ManifestRow:
    doc_id: str
    source: str
    lang: str
    status: str  # ok | empty | skipped | error
    records: int
    error: str
    sha256: str
    processed_at: str


def extract_text(
    text: str,
    lang: str | None = None,
    published: str | None = None,
    doc_id: str | None = None,
    title: str | None = None,
    source: str = "",
    tagger: Tagger | str | None = None,
) -> list[Record]:
    """Records of one article's text (title on its first line, body after it).

    tagger: "stanza", "none", a Tagger, or None for stanza when its models are installed.
    """
    return _extract(text, lang, published, doc_id, title, source, tagger)[1]


def _extract(
    text: str,
    lang: str | None,
    published: str | None,
    doc_id: str | None,
    title: str | None,
    source: str,
    tagger: Tagger | str | None,
) -> tuple[str, list[Record]]:
    """extract_text, and the language read (detected once: a manifest row names it too)."""
    tokens = tokenize(text) if lang is None else None  # detection reads words; the pipeline reuses them
    code = lang or detect_language(text, tokens)
    if code not in available_languages():
        raise ValueError(f"no patterns for language {code!r}; have {available_languages()}")
    doc = Document(
        text=text,
        doc_id=doc_id or "text",
        source=source,
        lang=code,
        title=title or "",
        published=normalize_date(published, code),
    )
    return code, run_document(doc, _tagger(tagger), tokens=tokens)


def _tagger(tagger: Tagger | str | None) -> Tagger:
    return tagger if tagger is not None and not isinstance(tagger, str) else make_tagger(tagger)


_STAMPED: dict[int, str] = {}  # the second last stamped -> its ISO text: one stamp per article


def _now() -> str:
    """The UTC time to the second, as ISO text (a manifest row's processed_at)."""
    second = int(time.time())
    stamp = _STAMPED.get(second)
    if stamp is None:
        _STAMPED.clear()
        stamp = _STAMPED[second] = dt.datetime.fromtimestamp(second, dt.UTC).isoformat()
    return stamp


def extract_article(article: Article, tagger: Tagger | str | None = None) -> tuple[list[Record], ManifestRow]:
    """Records of one article and its manifest row; an exception becomes an error row."""
    lang = article.lang if article.lang in available_languages() else None
    try:
        code, records = _extract(
            article.text, lang, article.published, article.doc_id, article.title, article.source, tagger
        )
        row = ManifestRow(
            article.doc_id, article.source, code, "ok", len(records), article.note, article.sha256, _now()
        )
        return records, row
    except Exception as exc:  # one bad article must not stop the run
        reason = f"{type(exc).__name__}: {exc}"
        row = ManifestRow(
            article.doc_id, article.source, lang or "", "error", 0, reason, article.sha256, _now()
        )
        return [], row


def _failure_row(failure: Failure) -> ManifestRow:
    return ManifestRow(
        failure.doc_id,
        failure.source,
        "",
        failure.status,
        0,
        failure.reason,
        failure.sha256,
        _now(),
    )


def run_files(
    paths: Iterable[str | Path], tagger: Tagger | str | None = None
) -> tuple[list[Record], list[ManifestRow]]:
    """Records and one manifest row per input document, whatever happened to it."""
    tagger = _tagger(tagger)
    records: list[Record] = []
    manifest: list[ManifestRow] = []
    for path in input_files(paths):
        for item in read_file(path):
            if isinstance(item, Failure):
                manifest.append(_failure_row(item))
                continue
            found, row = extract_article(item, tagger)
            records.extend(found)
            manifest.append(row)
    return records, manifest


def records_frame(records: Iterable[Record]) -> pd.DataFrame:
    """Records as a DataFrame in SPEC's columns, as `derek extract` writes them.

    year is Int64 (<NA> when unknown); value and value_max float64 (NaN when none);
    char_start and char_end int64; published the ISO date as text (missing when unknown);
    every other column text, "" when empty.
    """
    return rows_frame(r.row() for r in records)


def rows_frame(rows: Iterable[dict[str, object]]) -> pd.DataFrame:
    """SPEC's columns and types from record rows (Record.row()): see records_frame."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(COLUMNS))
    text = list(TEXT_COLUMNS)
    frame[text] = frame[text].fillna("").astype(str)  # one rule in every format: missing text is ""
    return frame.astype(FRAME_TYPES)


def manifest_frame(rows: Iterable[ManifestRow]) -> pd.DataFrame:
    """One row per input document (documents.csv): `records` int64, `processed_at` the UTC
    time as ISO text, the rest text."""
    import pandas as pd

    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(MANIFEST_COLUMNS))
    return frame.astype({"records": "int64"})


def extract_files(
    paths: Iterable[str | Path] | str | Path, tagger: Tagger | str | None = None
) -> pd.DataFrame:
    """Records of files and folders as a DataFrame with SPEC's columns.

    The manifest (one row per input document) is in `frame.attrs["manifest"]`.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    records, manifest = run_files(paths, tagger)
    frame = records_frame(records)
    frame.attrs["manifest"] = manifest_frame(manifest)
    return frame
