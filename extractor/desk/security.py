"""What keeps the desk safe to open: a strict Content-Security-Policy, CSRF tokens on every
state-changing request, and an access token when the server listens beyond this machine.

Article text is scraped from the web: the templates escape it, and the policy forbids inline
scripts and handlers, so even text that slipped through escaping could run nothing.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from flask import Flask, Response, abort, redirect, request, session

from extractor.desk import LOCAL_HOSTS

# Charts are served apart (see CHART_POLICY) and shown through <object>, hence object-src.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'self'; frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# An SVG chart: matplotlib styles its shapes inline; scripts can never run (sandbox, no script-src).
CHART_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; "
    "sandbox allow-top-navigation-by-user-activation"
)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
TOKEN_COOKIE = "desk_token"
TOKEN_HEADER = "X-Desk-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def csrf_token() -> str:
    """The session's CSRF token, made on first use; forms and scripts send it back."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(session[CSRF_FIELD])


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def check_csrf() -> None:
    if request.method in SAFE_METHODS:
        return
    expected = session.get(CSRF_FIELD)
    given = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not expected or not _same(given, str(expected)):
        abort(400, description="The form's security token is missing or out of date: reload the page.")


def check_token(token: str) -> Response | None:
    """Every request must carry the token: once in the address (then a cookie), or a header."""
    offered = request.args.get("token")
    if offered is not None:
        if not _same(offered, token):
            abort(401, description="Wrong access token.")
        rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
        target = request.path + ("?" + urlencode(rest) if rest else "")
        response = redirect(target, code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
        return response
    if _same(request.cookies.get(TOKEN_COOKIE), token) or _same(request.headers.get(TOKEN_HEADER), token):
        return None
    abort(401, description="This desk needs its access token: open the address it printed at start.")


def add_headers(response: Response) -> Response:
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("X-Frame-Options", "DENY")  # a chart says SAMEORIGIN
    response.headers["Cache-Control"] = response.headers.get("Cache-Control", "no-store")
    return response


def install(app: Flask, token: str | None) -> None:
    """Hook the checks into every request of the app."""
    app.secret_key = secrets.token_bytes(32)  # sessions live as long as the server
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict")
    if token is None:
        # nobody else can reach a desk bound to this machine; refusing other Host names stops
        # a web page from reaching it through a name that resolves here (DNS rebinding)
        app.config["TRUSTED_HOSTS"] = list(LOCAL_HOSTS)
    else:
        app.before_request(lambda: check_token(token))
    app.before_request(check_csrf)
    app.after_request(add_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["CSRF_FIELD"] = CSRF_FIELD
