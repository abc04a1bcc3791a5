"""Decisions: right, wrong or fix on a record, and a missed figure added from the text.

Each is saved at once with the editor's name and the time; the page then shows the next
record (after right or wrong) or the same one (after a fix). Errors come back as a message.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from extractor.review.decisions import add_missed, decide, latest
from extractor.review.fields import FIX_FIELDS

from ..context import editor, store
from ..rows import document_rows, form_fields

pages = Blueprint("decisions", __name__)
VERDICTS = ("right", "wrong", "fix")


def _editor_or_refuse() -> str:
    name = editor()
    if not name:
        abort(400, description="Type your name at the top of the page first: decisions are saved with it.")
    return name


def _back(doc_key: str, selected: str) -> Response:
    target = url_for("document.show", doc_key=doc_key, sel=selected or None)
    return redirect(target + (f"#r-{selected}" if selected else ""), code=303)


@pages.post("/records/<record_id>/decide")
def decide_record(record_id: str) -> Response:
    name = _editor_or_refuse()
    held = store()
    verdict = request.form.get("verdict", "")
    if verdict not in VERDICTS:
        abort(400, description=f"Unknown verdict {verdict!r}: right, wrong or fix.")
    doc_key = request.form.get("doc_key", "")
    rows = {r.record_id: r for r in document_rows(held, doc_key, latest(held))}
    if record_id not in rows:
        abort(404, description=f"No record {record_id} in document {doc_key}.")
    fields = form_fields(rows[record_id], request.form) if verdict == "fix" else None
    try:
        decide(held, record_id, verdict, name, fields=fields, comment=request.form.get("comment", "").strip())
    except ValueError as error:
        flash(str(error), "error")
        return _back(doc_key, record_id)
    flash(f"Saved: {verdict}.", "saved")
    following = request.form.get("next", "") if verdict != "fix" else ""
    return _back(doc_key, following if following in rows else record_id)


def _offset(field: str) -> int:
    try:
        return int(request.form.get(field, ""))
    except ValueError:
        abort(400, description=f"{field}: select the figure in the text first.")


@pages.post("/documents/<doc_key>/add")
def add_figure(doc_key: str) -> Response:
    name = _editor_or_refuse()
    fields = {f: request.form[f].strip() for f in FIX_FIELDS if request.form.get(f, "").strip()}
    try:
        made = add_missed(
            store(),
            doc_key,
            _offset("char_start"),
            _offset("char_end"),
            fields,
            name,
            comment=request.form.get("comment", "").strip(),
        )
    except ValueError as error:
        flash(str(error), "error")
        return _back(doc_key, "")
    flash(f"Added «{made.fields.get('value_text', '')}».", "saved")
    return _back(doc_key, made.record_id)
