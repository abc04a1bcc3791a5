"""The record: one figure found in a document, as SPEC.md defines it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Record:
    record_id: str
    doc_id: str
    source: str
    lang: str
    published: str | None
    title: str
    region_code: str
    region_name: str
    region_mention: str
    district_code: str
    district_name: str
    year: int | None
    period: str
    indicator: str
    measure: str
    status: str
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    value_text: str
    char_start: int
    char_end: int
    sentence: str
    repeat_of: str = ""  # record_id of an earlier mention of the same figure in the document
    patterns: tuple[str, ...] = ()  # ids of the patterns that fired, for `derek explain`
    # (kind, char_start, char_end) of the region, district and year mentions the scope came from
    evidence: tuple[tuple[str, int, int], ...] = ()

    def row(self) -> dict[str, object]:
        """The record as SPEC's columns."""
        return {name: getattr(self, name) for name in COLUMNS}  # asdict() deep-copies: slow


# what explains a record, not part of it
EXPLANATION_FIELDS = ("patterns", "evidence")
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Record) if f.name not in EXPLANATION_FIELDS)


def record_id(doc_id: str, char_start: int, char_end: int, value_text: str) -> str:
    """Stable id: the same document and span give the same id on every run."""
    key = f"{doc_id}\x1f{char_start}\x1f{char_end}\x1f{value_text}"
    # surrogatepass: a lone surrogate in a caller's text gives an id, not an error
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
