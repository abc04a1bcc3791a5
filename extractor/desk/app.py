"""The editors' desk: a local web app over a derek store (`derek review --store outputs/`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask, Response, render_template
from werkzeug.exceptions import HTTPException, SecurityError, ServiceUnavailable

from extractor.store import STORE_NAME

from . import security
from .context import close_store, editor
from .formatting import breakable, shown, web_link
from .views import decisions, document, documents, overview

BUSY_MS = 5000  # how long a request waits for a run's write to end


class NoStore(ValueError):
    """The folder holds no derek store."""


def create_app(store_folder: str | Path, token: str | None = None) -> Flask:
    """The desk over the store in `store_folder`; with a token, every request must carry it."""
    folder = Path(store_folder)
    if not (folder / STORE_NAME).is_file():
        raise NoStore(f"no store in {folder} (run `derek run INPUT --store {folder}` first)")
    app = Flask(__name__)
    app.config.update(STORE_FOLDER=folder, STORE_BUSY_MS=BUSY_MS)
    app.jinja_env.autoescape = True  # every template, whatever its file name
    app.jinja_env.globals["editor"] = editor
    app.jinja_env.filters.update(shown=shown, web_link=web_link, breakable=breakable)
    security.install(app, token)
    for blueprint in (documents.pages, document.pages, decisions.pages, overview.pages):
        app.register_blueprint(blueprint)
    app.teardown_appcontext(close_store)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(sqlite3.OperationalError, _busy)
    return app


def _busy(error: sqlite3.OperationalError) -> Response | tuple[str, int]:
    if "locked" not in str(error) and "busy" not in str(error):
        raise error
    busy = ServiceUnavailable("The store is busy (a run is writing to it): try again in a moment.")
    return _error_page(busy)


def _error_page(error: HTTPException) -> Response | tuple[str, int]:
    if isinstance(error, SecurityError) or error.code == 401:
        # refused before the desk opens (an untrusted Host, no token): no page, no links
        return Response(f"{error.description}\n", error.code or 400, mimetype="text/plain")
    return render_template("error.html", error=error), error.code or 500
