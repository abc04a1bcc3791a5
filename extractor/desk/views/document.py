"""The document view: the article with its figures highlighted beside the records table."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from extractor.review.decisions import latest
from extractor.review.fields import FIX_FIELDS

from .. import vocab
from ..context import store
from ..highlight import render
from ..rows import document_rows, field_text

pages = Blueprint("document", __name__)


def _document(doc_key: str) -> dict:
    query = "SELECT doc_id, lang, status, error, processed_at FROM documents WHERE doc_key = ?"
    row = store().conn.execute(query, (doc_key,)).fetchone()
    if row is None:
        abort(404, description=f"No document {doc_key} in this store.")
    sources = [s[0] for s in store().conn.execute("SELECT source FROM sources WHERE doc_key = ?", (doc_key,))]
    names = ("doc_id", "lang", "status", "error", "processed_at")
    return dict(zip(names, row, strict=True)) | {"doc_key": doc_key, "sources": sources}


@pages.get("/documents/<doc_key>")
def show(doc_key: str) -> str:
    held = store()
    doc = _document(doc_key)
    stored = held.document_text(doc_key)
    title, text = stored if stored is not None else ("", "")
    rows = document_rows(held, doc_key, latest(held))
    shown = [r for r in rows if not r.withdrawn]
    marks = [m for r in shown for m in r.marks()]
    selected = request.args.get("sel", "")
    if selected not in {r.record_id for r in shown}:
        selected = shown[0].record_id if shown else ""
    published = next((str(r.current.get("published")) for r in rows if r.current.get("published")), "")
    return render_template(
        "document.html",
        doc=doc,
        title=title or doc["doc_id"],
        published=published,
        article=render(text, marks),
        has_text=stored is not None,
        rows=shown,
        selected=selected,
        next_of={a.record_id: b.record_id for a, b in zip(shown, shown[1:], strict=False)},
        legend=sorted({(str(r.current.get("indicator") or ""), r.colour) for r in shown}),
        fix_fields=FIX_FIELDS,
        field_text=field_text,
        vocab=vocab,
    )
