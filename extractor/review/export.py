"""The dataset as editors left it: review columns, the corrected dataset, gold for `derek eval`.

- `review_columns`: each record's `review_state` (unreviewed, right, wrong, fix, added),
  `reviewed_by` and `reviewed_at`, from the latest decision on it;
- `corrected`: fixes applied, wrong records dropped, added figures included;
- `gold_frame`: the reviewed figures in the gold format `derek eval` reads, and
  `score_reviewed`: the extractor's reviewed records scored against them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pandas as pd
import regex

from extractor.api import FRAME_TYPES
from extractor.evaluate import GOLD_COLUMNS, OPTIONAL_GOLD_COLUMNS, Score, evaluate
from extractor.record import COLUMNS
from extractor.review.decisions import Decision, added_in_place, latest
from extractor.review.fields import FIX_FIELDS, apply_fields

if TYPE_CHECKING:
    from extractor.store import Store

REVIEW_COLUMNS = ("review_state", "reviewed_by", "reviewed_at")
UNREVIEWED = "unreviewed"
ADDED_DEFAULTS: dict[str, object] = {
    "region": "", "district": "", "year": None, "period": "", "indicator": "", "measure": "level",
    "status": "actual", "qualifier": "", "value_max": None,
}  # fmt: skip
_SENTENCE_END = regex.compile(r"[.!?…]\s|\n")


def review_columns(records: pd.DataFrame, decisions: dict[str, Decision]) -> pd.DataFrame:
    """The records with the latest decision on each: state, editor and time."""
    found = [decisions.get(rid) for rid in records["record_id"]]
    return records.assign(
        review_state=[d.verdict if d else UNREVIEWED for d in found],
        reviewed_by=[d.editor if d else "" for d in found],
        reviewed_at=[d.at if d else "" for d in found],
    )


def review_frame(store: Store) -> pd.DataFrame:
    """Every stored record with `doc_key`, `evidence` and the review columns: what the desk
    and `review_queue` work on (the exported dataset leaves doc_key and evidence out)."""
    rows = []
    query = (
        "SELECT r.doc_key, r.data FROM records r JOIN documents d USING (doc_key) "
        "ORDER BY d.doc_id, d.doc_key, r.position"
    )
    for doc_key, data in store.conn.execute(query):
        row = json.loads(data)
        row["evidence"] = [tuple(e) for e in row.get("evidence") or ()]
        rows.append(row | {"doc_key": doc_key})
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "doc_key", "evidence"]).astype(FRAME_TYPES)
    return review_columns(frame, latest(store))


def dataset(store: Store, reviewed: bool = False) -> pd.DataFrame:
    """What `derek export` writes: every record with its review columns, or the corrected set."""
    return corrected(store) if reviewed else review_columns(store.records_frame(), latest(store))


def _doc_fields(store: Store, doc_id: str) -> dict[str, object]:
    """What an added figure shares with its document's records: source, lang, published, title."""
    doc_key = store.doc_key_of(doc_id) or ""
    records = store.records_of(doc_key)
    if records:
        return {name: records[0][name] for name in ("doc_id", "source", "lang", "published", "title")}
    row = store.conn.execute(
        "SELECT d.lang, s.source, t.title FROM documents d JOIN sources s USING (doc_key) "
        "JOIN texts t USING (doc_key) WHERE d.doc_key = ? ORDER BY s.source LIMIT 1",
        (doc_key,),
    ).fetchone()
    lang, source, title = row if row else ("", "", "")
    return {"doc_id": doc_id, "source": source, "lang": lang, "published": None, "title": title}


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence that holds a span: from the end of the one before to the next end."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return text[before[-1] if before else 0 : after.start() + 1 if after else len(text)].strip()


def added_row(store: Store, decision: Decision) -> dict[str, object]:
    """An added figure as a record row, in SPEC's columns."""
    fields = decision.fields
    stored = store.document_text(store.doc_key_of(str(fields["doc_id"])) or "")
    text = stored[1] if stored else ""
    start, end = int(fields["char_start"]), int(fields["char_end"])
    row: dict[str, object] = {name: "" for name in COLUMNS} | _doc_fields(store, str(fields["doc_id"]))
    row |= {
        "record_id": decision.record_id,
        "value_text": fields["value_text"],
        "char_start": start,
        "char_end": end,
        "sentence": sentence_around(text, start, end),
    }
    return apply_fields(row, ADDED_DEFAULTS | _corrections(decision))


def _corrections(decision: Decision) -> dict[str, object]:
    """The corrected fields of a fix or an added figure (an added one also holds its span)."""
    return {name: value for name, value in decision.fields.items() if name in FIX_FIELDS}


def corrected(store: Store) -> pd.DataFrame:
    """The dataset with editors' decisions applied, with the review columns."""
    decisions = latest(store)
    records = review_columns(store.records_frame(), decisions)
    rows = []
    for row in records.to_dict("records"):
        decision = decisions.get(str(row["record_id"]))
        if decision is not None and decision.verdict == "wrong":
            continue
        if decision is not None and decision.verdict in ("fix", "added"):
            # an added figure the extractor found since is corrected like a fix
            row = apply_fields(row, _corrections(decision))
        rows.append(row)
    known = set(records["record_id"])
    for decision in decisions.values():
        if decision.verdict != "added" or decision.record_id in known:
            continue
        if added_in_place(store, decision):  # else orphaned: its document changed or is gone
            rows.append(added_row(store, decision) | _review(decision))
    frame = pd.DataFrame(rows, columns=[*COLUMNS, *REVIEW_COLUMNS]).astype(FRAME_TYPES)
    return frame.sort_values(["doc_id", "char_start"], kind="stable").reset_index(drop=True)


def _review(decision: Decision) -> dict[str, str]:
    return {"review_state": decision.verdict, "reviewed_by": decision.editor, "reviewed_at": decision.at}


def gold_frame(store: Store) -> pd.DataFrame:
    """The reviewed figures (right, fixed, added) in the gold format of `derek eval`."""
    figures = corrected(store)
    figures = figures[figures["review_state"].isin(["right", "fix", "added"])]
    gold = pd.DataFrame(
        {
            "doc": figures["doc_id"],
            "evidence": figures["value_text"],
            "value": figures["value"].map(_number),
            "unit": figures["unit"],
            "region_code": figures["region_code"],
            "district_code": figures["district_code"],
            "year": figures["year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "alt_year": "",
            "indicator": figures["indicator"],
            "measure": figures["measure"],
            "status": figures["status"],
            "qualifier": figures["qualifier"],
            "value_max": figures["value_max"].map(lambda v: "" if pd.isna(v) else _number(v)),
        }
    )
    return gold[[*GOLD_COLUMNS, *OPTIONAL_GOLD_COLUMNS]].fillna("").reset_index(drop=True)


def _number(value: float) -> str:
    return f"{float(value):.12g}"


def score_reviewed(store: Store) -> Score:
    """The extractor's reviewed records against the editors' figures, on reviewed documents."""
    decisions = latest(store)
    records = store.records_frame()
    predicted = records[records["record_id"].isin(list(decisions))]
    gold = gold_frame(store)
    docs = set(predicted["doc_id"]) | set(gold["doc"])
    return evaluate(gold, predicted, docs)
