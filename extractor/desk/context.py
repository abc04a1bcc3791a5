"""Per-request state: the store connection and the editor's name (a cookie typed once)."""

from __future__ import annotations

from urllib.parse import unquote

from flask import current_app, g, request

from extractor.store import Store

EDITOR_COOKIE = "desk_editor"
EDITOR_MAX = 80


def store() -> Store:
    """This request's connection to the store (SQLite connections stay in their thread)."""
    if "store" not in g:
        g.store = Store(current_app.config["STORE_FOLDER"])
        # a nightly run may hold the write lock: wait this long, then say so (see app.busy)
        g.store.conn.execute(f"PRAGMA busy_timeout = {int(current_app.config['STORE_BUSY_MS'])}")
    return g.store


def editor() -> str:
    """Who decides: the name kept in the cookie, '' until one is typed."""
    if "editor" not in g:
        g.editor = unquote(request.cookies.get(EDITOR_COOKIE, ""))[:EDITOR_MAX].strip()
    return str(g.editor)


def close_store(_: BaseException | None) -> None:
    opened = g.pop("store", None)
    if opened is not None:
        opened.close()
