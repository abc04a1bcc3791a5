"""Editors' decisions on records: right, wrong, a fix, or a figure the extractor missed.

Decisions are kept by record_id in the store's `decisions` table, beside the records and
never replaced by a run: a record's history is every decision on it, the latest one counts.
A record that a later run no longer finds keeps its decisions and is listed as orphaned.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.record import record_id as span_record_id
from extractor.review.fields import FIX_FIELDS, check_fields

if TYPE_CHECKING:
    from extractor.store import Store

__all__ = ["FIX_FIELDS", "Decision", "add_missed", "decide", "history", "latest", "orphaned"]

VERDICTS = ("right", "wrong", "fix", "added")
SPAN_FIELDS = ("doc_id", "char_start", "char_end", "value_text")  # kept with an added figure
_COLUMNS = "decision_id, record_id, doc_key, verdict, fields, editor, comment, at"


@dataclass(frozen=True)
class Decision:
    decision_id: int
    record_id: str
    doc_key: str
    verdict: str  # right | wrong | fix | added
    fields: dict  # fix: the corrected fields; added: the figure's fields and its span
    editor: str
    comment: str
    at: str  # ISO time, UTC

    @classmethod
    def from_row(cls, row: tuple) -> Decision:
        decision_id, record_id, doc_key, verdict, fields, editor, comment, at = row
        return cls(int(decision_id), record_id, doc_key, verdict, json.loads(fields), editor, comment, at)


def _editor(editor: str) -> str:
    name = (editor or "").strip()
    if not name:
        raise ValueError("editor: say who decides (a name or an e-mail address)")
    return name


def _save(store: Store, record_id: str, doc_key: str, verdict: str, fields: dict, editor: str, comment: str,
          at: str | None) -> Decision:  # fmt: skip
    from extractor.store import now

    row = (record_id, doc_key, verdict, json.dumps(fields, ensure_ascii=False, sort_keys=True), editor,
           comment or "", at or now())  # fmt: skip
    cursor = store.conn.execute(
        "INSERT INTO decisions (record_id, doc_key, verdict, fields, editor, comment, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        row,
    )
    return Decision(int(cursor.lastrowid or 0), *row[:3], fields, *row[4:])


def decide(
    store: Store,
    record_id: str,
    verdict: str,
    editor: str,
    fields: Mapping[str, object] | None = None,
    comment: str = "",
    at: str | None = None,
) -> Decision:
    """Record an editor's verdict on a record: right, wrong, or fix with the corrected fields."""
    editor = _editor(editor)
    if verdict not in ("right", "wrong", "fix"):
        raise ValueError(f"verdict {verdict!r}: choose right, wrong or fix (a missed figure is added apart)")
    checked = check_fields(fields or {})
    if verdict == "fix" and not checked:
        raise ValueError("a fix needs at least one corrected field: " + ", ".join(FIX_FIELDS))
    if verdict != "fix" and checked:
        raise ValueError(f"a {verdict!r} verdict takes no fields; use fix to correct them")
    record = store.find_record(record_id)
    before = history(store, record_id)
    if record is None and not before:
        raise ValueError(f"no record {record_id!r} in the store")
    doc_key = record["doc_key"] if record is not None else before[0].doc_key
    added = next((d for d in before if d.verdict == "added"), None)
    if record is None and added is not None and verdict == "fix":
        # correcting a figure an editor added: it stays an added figure, with the new fields
        return _save(store, record_id, doc_key, "added", added.fields | checked, editor, comment, at)
    return _save(store, record_id, doc_key, verdict, checked, editor, comment, at)


def add_missed(
    store: Store,
    doc_key: str,
    char_start: int,
    char_end: int,
    fields: Mapping[str, object],
    editor: str,
    comment: str = "",
    at: str | None = None,
) -> Decision:
    """Add a figure the extractor missed, from a selection of the stored text.

    The record_id is derived from the document and the span exactly as the extractor's is,
    so a later run that finds the same figure gives it the same id.
    """
    editor = _editor(editor)
    stored = store.document_text(doc_key)
    row = store.conn.execute("SELECT doc_id FROM documents WHERE doc_key = ?", (doc_key,)).fetchone()
    if stored is None or row is None:
        raise ValueError(f"no text stored for document {doc_key!r}")
    text = stored[1]
    start, end = int(char_start), int(char_end)
    if not 0 <= start < end <= len(text):
        raise ValueError(f"selection {start}:{end} lies outside the text (0:{len(text)})")
    while start < end and text[start].isspace():  # a selection often takes a space along
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("the selection holds only spaces")
    checked = check_fields(fields)
    missing = [name for name in ("value", "unit") if name not in checked]
    if missing:
        raise ValueError(f"an added figure needs {' and '.join(missing)}")
    doc_id, value_text = str(row[0]), text[start:end]
    new_id = span_record_id(doc_id, start, end, value_text)
    if store.find_record(new_id) is not None:
        raise ValueError(f"the extractor found «{value_text}» already (record {new_id}): decide on it")
    span = {"doc_id": doc_id, "char_start": start, "char_end": end, "value_text": value_text}
    return _save(store, new_id, doc_key, "added", checked | span, editor, comment, at)


def history(store: Store, record_id: str) -> list[Decision]:
    """Every decision on a record, newest first."""
    query = f"SELECT {_COLUMNS} FROM decisions WHERE record_id = ? ORDER BY decision_id DESC"
    return [Decision.from_row(row) for row in store.conn.execute(query, (record_id,))]


def latest(store: Store) -> dict[str, Decision]:
    """The decision that counts for each decided record, by record_id."""
    query = (
        f"SELECT {_COLUMNS} FROM decisions WHERE decision_id IN "
        "(SELECT MAX(decision_id) FROM decisions GROUP BY record_id) ORDER BY decision_id"
    )
    return {row[1]: Decision.from_row(row) for row in store.conn.execute(query)}


def added_in_place(store: Store, decision: Decision) -> bool:
    """An added figure whose document is still stored with the same characters at its span."""
    fields = decision.fields
    doc_key = store.doc_key_of(str(fields.get("doc_id", "")))
    stored = store.document_text(doc_key) if doc_key else None
    if stored is None:
        return False
    return stored[1][int(fields["char_start"]) : int(fields["char_end"])] == fields["value_text"]


def orphaned(store: Store) -> list[Decision]:
    """Latest decisions whose record is gone from the store (a pattern or an article changed).

    An added figure is orphaned when its document, or the text at its span, is gone.
    """
    stored = {row[0] for row in store.conn.execute("SELECT DISTINCT record_id FROM records")}
    found = []
    for decision in latest(store).values():
        if decision.record_id in stored:
            continue
        if decision.verdict == "added" and added_in_place(store, decision):
            continue
        earlier = history(store, decision.record_id)
        if decision.verdict == "wrong" and any(d.verdict == "added" for d in earlier):
            continue  # an added figure its editor withdrew
        found.append(decision)
    return found
