"""A document's records as the desk shows them: found or added by an editor, the latest
decision applied, each field as the fix form writes it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from extractor.review.decisions import Decision, history
from extractor.review.export import added_row
from extractor.review.fields import FIX_FIELDS, apply_fields
from extractor.store import Store

from .highlight import ADDED, FIGURE, SCOPE_KINDS, Mark
from .vocab import colour_of

# the fix form's field -> the record column it shows
FIELD_COLUMNS = {"region": "region_code", "district": "district_code"}


@dataclass
class Row:
    record_id: str
    original: dict  # as the extractor wrote it (for an added figure: as first added)
    current: dict  # with the latest decision applied
    history: list[Decision] = field(default_factory=list)  # newest first
    added: bool = False

    @property
    def verdict(self) -> str:
        return self.history[0].verdict if self.history else ""

    @property
    def withdrawn(self) -> bool:
        return self.added and self.verdict == "wrong"

    @property
    def colour(self) -> str:
        return colour_of(str(self.current.get("indicator") or ""))

    def changed(self) -> list[str]:
        """The fix form's fields whose value differs from the extractor's."""
        return [n for n in FIX_FIELDS if field_text(self.original, n) != field_text(self.current, n)]

    def marks(self) -> list[Mark]:
        start, end = int(self.current["char_start"]), int(self.current["char_end"])
        found = [Mark(start, end, ADDED if self.added else FIGURE, self.record_id, self.colour)]
        for kind, first, last in self.current.get("evidence") or ():
            if kind in SCOPE_KINDS:
                found.append(Mark(int(first), int(last), kind, self.record_id))
        return found


def field_text(record: Mapping[str, object], name: str) -> str:
    """A field as the fix form shows it, so an unchanged field reads back the same."""
    value = record.get(FIELD_COLUMNS.get(name, name))
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def document_rows(store: Store, doc_key: str, decided: Mapping[str, Decision]) -> list[Row]:
    """The records of a document, then the figures editors added to it, in text order."""
    rows = []
    for record in store.records_of(doc_key):
        rid = str(record["record_id"])
        latest = decided.get(rid)
        current = apply_fields(record, latest.fields) if latest and latest.verdict == "fix" else record
        rows.append(Row(rid, record, current, history(store, rid) if latest else []))
    for decision in decided.values():
        if decision.doc_key == doc_key and decision.record_id not in {r.record_id for r in rows}:
            rows.extend(_added_row(store, decision))
    return sorted(rows, key=lambda r: (int(r.current["char_start"]), int(r.current["char_end"])))


def _added_row(store: Store, latest: Decision) -> Sequence[Row]:
    past = history(store, latest.record_id)
    additions = [d for d in past if d.verdict == "added"]
    if not additions:
        return []  # decisions on a record a later run no longer finds: listed as orphaned
    first, last = additions[-1], additions[0]
    return [Row(latest.record_id, added_row(store, first), added_row(store, last), past, added=True)]


def form_fields(row: Row, submitted: Mapping[str, str]) -> dict[str, str]:
    """The fields of a fix form that differ from the record as found (a later fix keeps the
    earlier corrections, since the form shows them); an added figure's, from its last version."""
    before = row.current if row.added else row.original
    return {
        name: submitted[name].strip()
        for name in FIX_FIELDS
        if name in submitted and submitted[name].strip() != field_text(before, name)
    }
