"""The Label Studio round-trip: tasks with pre-annotations out, its JSON export back as decisions.

A task holds one document's text as read (`data.text`) and, under `predictions`, one region
per record: a `labels` result (the span, labelled with the record's indicator, or `figure`
where it has none) and, with the same region id, a per-region `textarea` result for each of
the record's values (value, unit, region, year, …). The labelling configuration that shows
them is `label_config()`. Offsets are Python string indices of the text, as in records.csv.

On import, each annotation is compared with the document's records: a region kept as it was
is `right`, a region whose label or values changed is a `fix`, a pre-annotated region the
annotator deleted is `wrong`, and a new region is an `added` figure (it needs a value and a
unit). A value left out of an annotation keeps the record's value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

import pandas as pd

from extractor import __version__
from extractor.classify import indicator_rules
from extractor.record import record_id as span_record_id
from extractor.review.decisions import Decision, add_missed, decide, history, latest
from extractor.review.export import corrected
from extractor.review.fields import FIX_FIELDS, check_fields

if TYPE_CHECKING:
    from extractor.store import Store

LABELS_NAME = "figure"  # the Labels control; also the label of a figure with no indicator
TEXT_NAME = "text"
VALUE_FIELDS = tuple(name for name in FIX_FIELDS if name != "indicator")  # the label is the indicator
_RECORD_FIELD = {"region": "region_code", "district": "district_code"}


def label_config() -> str:
    """The labelling configuration (Label Studio's XML) that the exported tasks fit."""
    labels = [LABELS_NAME, *(rule.name for rule in indicator_rules())]
    lines = [
        "<View>",
        '  <Style>.htx-text { white-space: pre-wrap; }</Style>',
        f'  <Labels name="{LABELS_NAME}" toName="{TEXT_NAME}">',
        *(f"    <Label value={quoteattr(label)}/>" for label in labels),
        "  </Labels>",
        f'  <Text name="{TEXT_NAME}" value="$text"/>',
        *(
            f'  <TextArea name="{name}" toName="{TEXT_NAME}" perRegion="true" editable="true" '
            f'maxSubmissions="1" placeholder="{name}"/>'
            for name in VALUE_FIELDS
        ),
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def _shown(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.12g}" if isinstance(value, float) else str(value)


def _regions(row: Mapping) -> list[dict]:
    span = {"start": int(row["char_start"]), "end": int(row["char_end"]), "text": row["value_text"]}
    common = {"id": row["record_id"], "to_name": TEXT_NAME}
    found = [common | {"from_name": LABELS_NAME, "type": "labels",
                       "value": span | {"labels": [row["indicator"] or LABELS_NAME]}}]  # fmt: skip
    for name in VALUE_FIELDS:
        shown = _shown(row[_RECORD_FIELD.get(name, name)])
        if shown:
            found.append(common | {"from_name": name, "type": "textarea", "value": span | {"text": [shown]}})
    return found


def tasks(store: Store, reviewed: bool = False) -> list[dict]:
    """One task per stored document; pre-annotations from its records, or with `reviewed`,
    from the corrected dataset (fixes applied, wrong records dropped, added figures in)."""
    records = corrected(store) if reviewed else store.records_frame()
    by_doc: dict[str, list[dict]] = {}
    for row in records.to_dict("records"):
        by_doc.setdefault(str(row["doc_id"]), []).append(row)
    query = (
        "SELECT d.doc_key, d.doc_id, t.title, t.text FROM documents d JOIN texts t USING (doc_key) "
        "WHERE d.status = 'ok' ORDER BY d.doc_id, d.doc_key"
    )
    found = []
    for doc_key, doc_id, title, text in store.conn.execute(query).fetchall():
        results = [region for row in by_doc.get(doc_id, []) for region in _regions(row)]
        found.append(
            {
                "data": {TEXT_NAME: text, "title": title, "doc_id": doc_id, "doc_key": doc_key},
                "predictions": [{"model_version": f"derek {__version__}", "result": results}],
            }
        )
    return found


@dataclass
class ImportSummary:
    made: dict[str, int] = field(default_factory=dict)  # verdict -> decisions stored
    unchanged: int = 0  # the same decision was the latest already (a file imported twice)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        made = ", ".join(f"{self.made.get(v, 0)} {v}" for v in ("right", "wrong", "fix", "added"))
        return f"decisions: {made}; {self.unchanged} unchanged; {len(self.problems)} problems"


@dataclass
class _Region:
    start: int
    end: int
    said: str | None  # the text Label Studio saw at the span
    fields: dict[str, object] = field(default_factory=dict)  # label and values as typed


def read_export(path: str | Path) -> list[dict]:
    """The tasks of a Label Studio JSON export; ValueError when the file is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read a JSON export: {exc}") from None
    data = [data] if isinstance(data, dict) else data
    if not isinstance(data, list) or not all(isinstance(task, dict) and "data" in task for task in data):
        raise ValueError(f"{path}: not a Label Studio JSON export (a list of tasks with `data`)")
    return data


def import_reviews(store: Store, path: str | Path, editor: str | None = None) -> ImportSummary:
    """Each annotation of a Label Studio JSON export, as decisions (one transaction)."""
    summary = ImportSummary()
    exported = read_export(path)
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        for number, task in enumerate(exported, start=1):
            try:
                _import_task(store, task, editor, summary)
            except ValueError as exc:
                summary.problems.append(f"task {task.get('id', number)}: {exc}")
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise
    return summary


@dataclass
class _Task:
    """One task's document as stored, and what the import did so far."""

    store: Store
    doc_key: str
    text: str
    records: list[dict]
    shown: set[str]  # region ids pre-annotated in the task
    summary: ImportSummary


def _import_task(store: Store, task: dict, editor: str | None, summary: ImportSummary) -> None:
    data = task["data"]
    doc_key = str(data.get("doc_key") or "")
    if store.document_text(doc_key) is None:  # the article changed since: its doc_id may still be here
        doc_key = store.doc_key_of(str(data.get("doc_id") or "")) or ""
    stored = store.document_text(doc_key)
    if stored is None:
        raise ValueError("names no document of the store (data.doc_key, data.doc_id)")
    if str(data.get(TEXT_NAME, stored[1])) != stored[1]:
        raise ValueError("the document's text changed since the export: export the tasks again")
    records = store.records_of(doc_key)
    shown = {str(i["id"]) for p in task.get("predictions") or [] for i in p.get("result") or [] if "id" in i}
    doc = _Task(store, doc_key, stored[1], records, shown or {r["record_id"] for r in records}, summary)
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    annotations.sort(key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
    for annotation in annotations:
        who = editor or _annotator(annotation)
        _import_annotation(doc, annotation, who, annotation.get("updated_at") or annotation.get("created_at"))


def _annotator(annotation: dict) -> str:
    """The annotator's e-mail where the export has it (JSON-MIN, or a user object), else the id."""
    person = annotation.get("completed_by")
    if isinstance(person, dict):
        person = person.get("email") or person.get("username") or person.get("id")
    if isinstance(person, str) and person.strip():
        return person.strip()
    return f"Label Studio user {person}" if person is not None else "Label Studio"


def _import_annotation(doc: _Task, annotation: dict, who: str, at: str | None) -> None:
    by_id = {r["record_id"]: r for r in doc.records}
    by_span = {(r["char_start"], r["char_end"]): r for r in doc.records}
    seen: set[str] = set()
    for region_id, region in _regions_of(annotation.get("result") or []).items():
        try:
            start, end = _locate(doc.text, region)
            record = by_id.get(region_id) or by_span.get((start, end))
            if record is not None:
                seen.add(record["record_id"])
                changed = _changes(record, check_fields(region.fields))
                _decide(doc, record["record_id"], "fix" if changed else "right", who, changed, at)
            else:
                seen.add(region_id)
                _add(doc, start, end, region.fields, who, at)
        except ValueError as exc:
            doc.summary.problems.append(f"region «{region.said or ''}» at {region.start}:{region.end}: {exc}")
    decided = latest(doc.store)
    for record_id in sorted(doc.shown - seen):
        was_added = record_id in decided and decided[record_id].verdict == "added"
        if record_id in by_id or was_added:  # pre-annotated, and deleted by the annotator
            _decide(doc, record_id, "wrong", who, {}, at)


def _regions_of(result: list) -> dict[str, _Region]:
    """Result items grouped by region id: the span, its label and its per-region values."""
    regions: dict[str, _Region] = {}
    for item in result:
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, dict) or "start" not in value or "end" not in value:
            continue
        region = regions.setdefault(
            str(item.get("id")), _Region(int(value["start"]), int(value["end"]), None)
        )
        name = item.get("from_name")
        if item.get("type") == "labels" and value.get("labels"):
            label = str(value["labels"][0])
            region.fields["indicator"] = "" if label == LABELS_NAME else label
            region.said = value.get("text", region.said)
        elif name in VALUE_FIELDS and item.get("type") in ("textarea", "choices"):
            typed = value.get("text") or value.get("choices") or [""]
            region.fields[str(name)] = str(typed[0] if isinstance(typed, list) else typed).strip()
    return regions


def _from_utf16(text: str, units: int) -> int:
    """The string index of a UTF-16 offset (older Label Studio versions counted those)."""
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _locate(text: str, region: _Region) -> tuple[int, int]:
    """The region's span in the text, checked against the text Label Studio saw there."""
    start, end, said = region.start, region.end, region.said
    if said is None or text[start:end] == said:
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}:{end} lies outside the text")
        return start, end
    start16, end16 = _from_utf16(text, start), _from_utf16(text, end)
    if text[start16:end16] == said:
        return start16, end16
    raise ValueError(f"the text at {start}:{end} is «{text[start:end]}», not «{said}»")


def _same(old: object, new: object) -> bool:
    if isinstance(new, float) and isinstance(old, int | float) and not isinstance(old, bool):
        return math.isclose(float(old), new, rel_tol=1e-9, abs_tol=1e-9)
    old = None if old is None or (isinstance(old, float) and math.isnan(old)) else old
    return (old in (None, "") and new in (None, "")) or old == new


def _changes(record: Mapping, proposed: dict[str, object]) -> dict[str, object]:
    """The fields whose proposed value differs from the record's."""
    return {k: v for k, v in proposed.items() if not _same(record.get(_RECORD_FIELD.get(k, k)), v)}


def _unchanged(store: Store, record_id: str, verdict: str, who: str, fields: dict) -> bool:
    last: list[Decision] = history(store, record_id)[:1]
    return bool(last) and (last[0].verdict, last[0].editor, last[0].fields) == (verdict, who, fields)


def _count(doc: _Task, verdict: str) -> None:
    doc.summary.made[verdict] = doc.summary.made.get(verdict, 0) + 1


def _decide(doc: _Task, record_id: str, verdict: str, who: str, fields: dict, at: str | None) -> None:
    if _unchanged(doc.store, record_id, verdict, who, fields):
        doc.summary.unchanged += 1
        return
    made = decide(doc.store, record_id, verdict, who, fields, comment="Label Studio", at=at)
    _count(doc, made.verdict)


def _add(doc: _Task, start: int, end: int, fields: dict, who: str, at: str | None) -> None:
    query = "SELECT doc_id FROM documents WHERE doc_key = ?"
    doc_id = str(doc.store.conn.execute(query, (doc.doc_key,)).fetchone()[0])
    value_text = doc.text[start:end]
    new_id = span_record_id(doc_id, start, end, value_text)
    span = {"doc_id": doc_id, "char_start": start, "char_end": end, "value_text": value_text}
    if _unchanged(doc.store, new_id, "added", who, check_fields(fields) | span):
        doc.summary.unchanged += 1
        return
    add_missed(doc.store, doc.doc_key, start, end, fields, who, comment="Label Studio", at=at)
    _count(doc, "added")
