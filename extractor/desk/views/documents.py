"""The documents list with its filters, the review queue, and the editor's name."""

from __future__ import annotations

import math
from urllib.parse import quote

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from extractor.review.decisions import latest, orphaned
from extractor.review.export import UNREVIEWED, review_frame
from extractor.review.queue import review_queue

from ..context import EDITOR_COOKIE, EDITOR_MAX, store
from ..data import PAGE_SIZE, DocFilter, choices, documents, filter_documents

pages = Blueprint("documents", __name__)
QUEUE_SIZE = 100


@pages.get("/")
def index() -> str:
    held = store()
    records = review_frame(held)
    chosen = DocFilter.of(request.args)
    docs = filter_documents(held, documents(held, records), records, chosen)
    page_count = max(1, math.ceil(len(docs) / PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int)), page_count)
    return render_template(
        "documents.html",
        docs=docs.iloc[(page - 1) * PAGE_SIZE : page * PAGE_SIZE].to_dict("records"),
        total=len(docs),
        page=page,
        page_count=page_count,
        chosen=chosen,
        choices=choices(records),
        reviewed=int((records["review_state"] != UNREVIEWED).sum()),
        record_count=len(records),
    )


def _queue(limit: int | None = QUEUE_SIZE) -> list[dict]:
    held = store()
    queue = review_queue(review_frame(held), latest(held))
    return queue.head(limit).to_dict("records") if limit else queue.to_dict("records")


@pages.get("/queue")
def queue() -> str:
    return render_template("queue.html", rows=_queue())


@pages.get("/orphaned")
def orphans() -> str:
    """Decisions on records a later run no longer finds (a changed pattern or article):
    kept, and listed here so that an editor can look again."""
    rows = sorted(orphaned(store()), key=lambda d: d.at, reverse=True)
    return render_template("orphaned.html", rows=rows)


@pages.get("/next")
def next_to_review() -> Response:
    """The record most likely wrong among those nobody has reviewed yet."""
    rows = _queue(1)
    if not rows:
        return redirect(url_for("documents.queue"), code=303)
    first = rows[0]
    return redirect(url_for("document.show", doc_key=first["doc_key"], sel=first["record_id"]), code=303)


def local_target(target: str | None, fallback: str) -> str:
    """A path on this desk to go back to; anything else (another site) falls back."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


@pages.post("/editor")
def set_editor() -> Response:
    name = " ".join(request.form.get("editor", "").split())[:EDITOR_MAX]
    if not name:
        abort(400, description="Type a name: every decision is saved with who made it.")
    response = redirect(local_target(request.form.get("next"), url_for("documents.index")), code=303)
    year = 365 * 24 * 3600
    response.set_cookie(EDITOR_COOKIE, quote(name), max_age=year, httponly=True, samesite="Strict")
    return response
