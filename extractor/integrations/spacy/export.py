"""A store's records as a spaCy DocBin (`derek export --format spacy`): one Doc per stored
document, tokenized for its language, its figures in `doc.spans["figures"]` labelled by
indicator, so a team can train a span categorizer on derek's output.

Without `reviewed`, every document read without error is written with every record it gave
(documents without figures too: they are negative examples). With `reviewed`, only the
figures editors confirmed, corrected or added (the latest decision on each: right, fix,
added), with their corrections applied, in the documents that hold at least one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, DocBin

from extractor.integrations.spacy.component import SPANS_KEY
from extractor.integrations.spacy.display import blank
from extractor.output import _atomic

if TYPE_CHECKING:
    from extractor.store import Store

UNLABELLED = "figure"  # the label of a figure that fits no indicator of the taxonomy
REVIEWED_STATES = ("right", "fix", "added")


@dataclass
class DocBinSummary:
    path: Path
    documents: int = 0
    figures: int = 0
    without_text: int = 0  # documents stored before texts were kept: a new run stores them

    def line(self) -> str:
        text = f"wrote {self.path} ({self.documents} documents, {self.figures} figures)"
        if self.without_text:
            text += f"; {self.without_text} documents have no stored text: run `derek run` again to add them"
        return text


def stored_documents(store: Store) -> list[tuple[str, str, str]]:
    """(doc_key, doc_id, lang) of every document read without error, in the dataset's order."""
    query = "SELECT doc_key, doc_id, lang FROM documents WHERE status = 'ok' ORDER BY doc_id, doc_key"
    return [(str(k), str(i), str(lang)) for k, i, lang in store.conn.execute(query)]


def reviewed_figures(store: Store) -> dict[str, dict[str, Any]]:
    """The reviewed figures with corrections applied, by record_id."""
    from extractor.review.export import corrected

    frame = corrected(store)
    frame = frame[frame["review_state"].isin(REVIEWED_STATES)]
    return {str(row["record_id"]): row for row in frame.to_dict("records")}


def _added_ids(store: Store) -> dict[str, list[str]]:
    """record_ids of the figures editors added, by the document they were added to."""
    from extractor.review.decisions import latest

    added: dict[str, list[str]] = {}
    for decision in latest(store).values():
        if decision.verdict == "added":
            added.setdefault(decision.doc_key, []).append(decision.record_id)
    return added


def figure_doc(text: str, lang: str, doc_id: str, figures: list[dict[str, Any]]) -> tuple[Doc, int]:
    """The document's Doc with a span per figure that lies where its offsets say; and their count."""
    doc = blank(lang).make_doc(text)
    doc.user_data["doc_id"] = doc_id
    spans = []
    for figure in sorted(figures, key=lambda f: (int(f["char_start"]), int(f["char_end"]))):
        start, end = int(figure["char_start"]), int(figure["char_end"])
        if text[start:end] != figure["value_text"]:
            continue  # not this text's figure
        label = str(figure.get("indicator") or "") or UNLABELLED
        span = doc.char_span(start, end, label=label, alignment_mode="expand", span_id=figure["record_id"])
        if span is not None:
            spans.append(span)
    doc.spans[SPANS_KEY] = spans
    return doc, len(spans)


def store_docbin(store: Store, reviewed: bool = False) -> tuple[DocBin, DocBinSummary]:
    """The DocBin of a store (see the module's docstring) and what went into it."""
    summary = DocBinSummary(Path())
    docbin = DocBin(store_user_data=True)
    confirmed = reviewed_figures(store) if reviewed else {}
    added = _added_ids(store) if reviewed else {}
    for doc_key, doc_id, lang in stored_documents(store):
        records = store.records_of(doc_key)
        if reviewed:
            ids = [r["record_id"] for r in records] + added.get(doc_key, [])
            records = [confirmed[i] for i in dict.fromkeys(ids) if i in confirmed]
            if not records:
                continue
        stored = store.document_text(doc_key)
        if stored is None:
            summary.without_text += 1
            continue
        doc, figures = figure_doc(stored[1], lang, doc_id, records)
        docbin.add(doc)
        summary.documents += 1
        summary.figures += figures
    return docbin, summary


def export_docbin(folder: Path, target: Path | None = None, reviewed: bool = False) -> DocBinSummary:
    """The store in `folder` as a DocBin file, written atomically (default: records.spacy
    there, records_reviewed.spacy for the reviewed figures)."""
    from extractor.review.formats import dataset_name
    from extractor.store import Store

    store = Store(folder)
    try:
        docbin, summary = store_docbin(store, reviewed)
    finally:
        store.close()
    summary.path = target or folder / dataset_name("spacy", reviewed)
    _atomic(summary.path, docbin.to_disk)
    return summary
