"""The editors' desk through Flask's test client: its pages, filters, queue, document view,
decisions, escaping and access checks (charts and commands: test_desk_charts.py)."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from extractor.desk import highlight
from extractor.desk.app import NoStore, create_app
from extractor.desk.context import EDITOR_COOKIE
from extractor.review.decisions import decide, history, latest
from extractor.review.export import review_frame
from extractor.review.queue import review_queue
from extractor.store import Store
from tests.desk_fixtures import EDITOR, HOSTILE_ID, csrf, doc_key, records_of

AKMOLA = "kk_akmola_aek_brifing"
POVERTY = "ru_bns_poverty_regions"


@pytest.fixture
def editor(client: FlaskClient) -> FlaskClient:
    """A client whose editor has typed a name."""
    client.set_cookie(EDITOR_COOKIE, "%D0%90%D0%B9%D0%B3%D2%AF%D0%BB")  # Айгүл, as the desk quotes it
    return client


def _text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/documents/[0-9a-f]+)', html)


# -- pages --------------------------------------------------------------------------------


def test_every_page_opens(client: FlaskClient, folder: Path) -> None:
    key = doc_key(folder, AKMOLA)
    for path in ("/", "/queue", "/overview", f"/documents/{key}", "/charts/poverty.rate.svg"):
        assert client.get(path).status_code == 200, path
    assert client.get("/next").status_code == 303
    assert client.get("/documents/0000").status_code == 404
    assert client.get("/charts/no.such.svg").status_code == 404


def test_a_document_without_text_says_so(client: FlaskClient, folder: Path) -> None:
    html = _text(client, f"/documents/{doc_key(folder, 'empty')}")
    assert "No text is stored for this document (empty)" in html and "No figures in this document" in html
    assert '<span class="badge bad" title="' in _text(client, "/")  # its status, in the list


def test_a_folder_without_a_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NoStore, match="no store"):
        create_app(tmp_path)


def test_the_documents_list_shows_each_document_with_its_progress(client: FlaskClient) -> None:
    html = _text(client, "/")
    assert len(_links(html)) == 4
    akmola = re.search(r"Ақмола облысында атаулы.*?</tr>", html, re.S)
    assert akmola is not None
    row = akmola.group(0)
    assert "kk_akmola_aek_brifing.txt" in row and "Akmola Region" in row
    assert re.search(r'class="num">15</td>', row) and "2023-12-14" in row
    assert "0 of 36 records reviewed" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=KZ-11", {AKMOLA}),
        ("region=KZ-31", {HOSTILE_ID, POVERTY}),  # the poverty article lists Zhambyl too
        ("region=KZ-31&indicator=social_assistance.families", {HOSTILE_ID}),
        ("status=plan", {AKMOLA}),
        ("indicator=poverty.rate", {POVERTY}),
        ("indicator=social_assistance.families&year=2023", {AKMOLA}),
        ("q=тараз", {HOSTILE_ID}),  # the text says «ТАРАЗ»: any letter case
        ("q=bns_poverty", {POVERTY}),  # the source
        ("review=done", set()),
        ("region=KZ-11&indicator=poverty.rate", set()),
    ],
)
def test_filters_narrow_the_documents(client: FlaskClient, folder: Path, query: str, expected: set) -> None:
    keys = {doc_key(folder, doc_id): doc_id for doc_id in (AKMOLA, POVERTY, HOSTILE_ID)}
    html = _text(client, f"/?{query}")
    assert {keys[link.rsplit("/", 1)[1]] for link in _links(html)} == expected


def test_review_filter_follows_the_decisions(editor: FlaskClient, folder: Path) -> None:
    store = Store(folder)
    for record in records_of(folder, HOSTILE_ID):
        decide(store, record["record_id"], "right", EDITOR)
    store.close()
    keys = {doc_key(folder, d): d for d in (AKMOLA, POVERTY, HOSTILE_ID)}
    done = {keys[k.rsplit("/", 1)[1]] for k in _links(_text(editor, "/?review=done"))}
    todo = {keys[k.rsplit("/", 1)[1]] for k in _links(_text(editor, "/?review=todo"))}
    assert (done, todo) == ({HOSTILE_ID}, {AKMOLA, POVERTY})


def test_the_queue_puts_the_likeliest_errors_first(client: FlaskClient, folder: Path) -> None:
    store = Store(folder)
    try:
        expected = review_queue(review_frame(store), latest(store))
    finally:
        store.close()
    html = _text(client, "/queue")
    shown = re.findall(r"sel=([0-9a-f]{16})", html)
    assert shown == list(expected["record_id"][: len(shown)]) and len(shown) == min(100, len(expected))
    scores = [float(s) for s in re.findall(r'<td class="num">(\d+\.\d)</td>', html)]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    first = expected.iloc[0]
    assert client.get("/next").headers["Location"].endswith(f"sel={first['record_id']}")


# -- the document view --------------------------------------------------------------------


def test_the_document_highlights_every_figure_from_its_offsets(client: FlaskClient, folder: Path) -> None:
    key = doc_key(folder, AKMOLA)
    records = records_of(folder, AKMOLA)
    html = _text(client, f"/documents/{key}")
    for record in records:
        # the highlight holds the record's characters, starting at its offset
        at = re.search(rf'data-start="{record["char_start"]}" data-records="[^"]*{record["record_id"]}', html)
        assert at is not None, record["value_text"]
        assert f'id="r-{record["record_id"]}"' in html
    assert 'class="swatch ind-' in html and "social_assistance.families" in html  # the legend
    scope = next(r for r in records if r["evidence"])
    kind, start, _ = scope["evidence"][0]
    assert re.search(rf'class="seg[^"]*ev-{kind}[^"]*" data-start="{start}"', html)


def test_overlapping_spans_become_flat_segments() -> None:
    text = "аб 157,7 мың адам <b>"
    marks = [
        highlight.Mark(3, 17, highlight.FIGURE, "r1", "ind-1"),
        highlight.Mark(3, 8, highlight.FIGURE, "r2", "ind-2"),
        highlight.Mark(9, 12, "year", "r1"),
        highlight.Mark(30, 40, highlight.FIGURE, "stale"),  # beyond the text: left out
    ]
    pieces = highlight.segments(text, marks)
    assert "".join(p.text for p in pieces) == text
    assert [(p.start, p.end) for p in pieces] == [(0, 3), (3, 8), (8, 9), (9, 12), (12, 17), (17, 21)]
    assert [m.record_id for m in pieces[1].figures()] == ["r2", "r1"]  # the narrowest first
    html = str(highlight.render(text, marks))
    assert 'data-records="r2 r1"' in html and "overlap" in html and "&lt;b&gt;" in html
    assert 'class="seg fig ind-1 ev-year" data-start="9" data-records="r1" data-evidence="r1"' in html


def test_carriage_returns_keep_the_offsets() -> None:
    html = str(highlight.render("a\r\nb", [highlight.Mark(3, 4, highlight.FIGURE, "r")]))
    assert "a&#13;\n" in html
    assert '<span class="seg fig ind-none" data-start="3" data-records="r">b</span>' in html


def test_a_hostile_article_renders_as_text(client: FlaskClient, folder: Path) -> None:
    html = _text(client, f"/documents/{doc_key(folder, HOSTILE_ID)}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html and "<script>" not in html
    assert not re.search(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", html, re.I)
    assert "javascript:alert(1)" in html  # the feed's address is shown, not linked
    listing = _text(client, "/")
    assert "&lt;script&gt;" in listing and "<script>alert" not in listing


def test_pages_have_no_inline_script_and_a_strict_policy(client: FlaskClient, folder: Path) -> None:
    paths = ["/", "/queue", "/overview", f"/documents/{doc_key(folder, HOSTILE_ID)}"]
    for path in paths + ["/static/desk.js", "/documents/missing"]:
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy, path
        assert "unsafe-inline" not in policy.split("style-src")[0]
        html = response.get_data(as_text=True)
        if path in paths:
            assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html)), path
            assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path  # no inline handlers


# -- decisions ----------------------------------------------------------------------------


def test_a_decision_is_saved_with_who_and_when(editor: FlaskClient, folder: Path) -> None:
    key = doc_key(folder, AKMOLA)
    first, second = records_of(folder, AKMOLA)[:2]
    response = editor.post(
        f"/records/{first['record_id']}/decide",
        data={"csrf_token": csrf(editor), "doc_key": key, "verdict": "right", "next": second["record_id"]},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"sel={second['record_id']}#r-{second['record_id']}")
    store = Store(folder)
    saved = latest(store)[first["record_id"]]
    store.close()
    assert (saved.verdict, saved.editor, saved.doc_key) == ("right", EDITOR, key)
    assert saved.at.startswith(time.strftime("%Y-", time.gmtime()))
    html = _text(editor, f"/documents/{key}?sel={first['record_id']}")
    assert "Saved: right." in html and f"{EDITOR} <time" in html


def test_a_post_without_the_csrf_token_is_refused(editor: FlaskClient, folder: Path) -> None:
    record = records_of(folder, AKMOLA)[0]
    path = f"/records/{record['record_id']}/decide"
    data = {"doc_key": doc_key(folder, AKMOLA), "verdict": "wrong"}
    csrf(editor)  # the session has a token; the form does not send it
    assert editor.post(path, data=data).status_code == 400
    assert editor.post(path, data=data | {"csrf_token": "forged"}).status_code == 400
    assert editor.get(path).status_code == 405  # a decision is never a GET
    store = Store(folder)
    assert history(store, record["record_id"]) == []
    store.close()


def test_a_decision_needs_a_name(client: FlaskClient, folder: Path) -> None:
    record = records_of(folder, AKMOLA)[0]
    token = csrf(client)
    data = {"csrf_token": token, "doc_key": doc_key(folder, AKMOLA), "verdict": "right"}
    response = client.post(f"/records/{record['record_id']}/decide", data=data)
    assert response.status_code == 400 and "Type your name" in response.get_data(as_text=True)
    name = {"csrf_token": token, "editor": " Ерлан ", "next": "//evil.example/"}
    set_name = client.post("/editor", data=name)
    assert set_name.status_code == 303 and set_name.headers["Location"] == "/"  # never off the desk
    assert client.post(f"/records/{record['record_id']}/decide", data=data).status_code == 303
    store = Store(folder)
    assert latest(store)[record["record_id"]].editor == "Ерлан"
    store.close()


def test_a_fix_keeps_the_changed_fields_and_the_history_shows_every_decision(
    editor: FlaskClient, folder: Path
) -> None:
    key = doc_key(folder, HOSTILE_ID)
    record = records_of(folder, HOSTILE_ID)[0]
    path = f"/records/{record['record_id']}/decide"
    form = {
        "csrf_token": csrf(editor),
        "doc_key": key,
        "verdict": "fix",
        "value": "84200",  # as it was
        "region": "KZ-31",  # as it was
        "year": "2022",
        "indicator": "social_assistance.recipients",
        "comment": "the year is the report's",
    }
    assert editor.post(path, data=form).status_code == 303
    assert editor.post(path, data=form | {"year": "twenty"}).status_code == 303  # refused, said why
    store = Store(folder)
    past = history(store, record["record_id"])
    store.close()
    assert [(d.verdict, d.fields) for d in past] == [("fix", {"year": 2022})]
    html = _text(editor, f"/documents/{key}?sel={record['record_id']}")
    assert "year: &#39;twenty&#39; is not a number" in html
    assert "<s>2023</s> → 2022" in html and "the year is the report&#39;s" in html
    editor.post(path, data={"csrf_token": csrf(editor), "doc_key": key, "verdict": "wrong"})
    html = _text(editor, f"/documents/{key}?sel={record['record_id']}")
    panel = html.split(f'id="panel-{record["record_id"]}"')[1].split("</section>")[0]
    assert panel.count('class="badge verdict-') == 2
    assert 'class="latest"><span class="badge verdict-wrong' in panel


def test_a_missed_figure_is_added_from_a_selection(editor: FlaskClient, folder: Path) -> None:
    key = doc_key(folder, HOSTILE_ID)
    store = Store(folder)
    title, text = store.document_text(key) or ("", "")
    store.close()
    start = text.index("KAZINFORM")  # not a figure; the form takes any span
    form = {
        "csrf_token": csrf(editor),
        "char_start": str(start),
        "char_end": str(start + len("KAZINFORM")),
        "value": "1",
        "unit": "institution",
        "indicator": "",
        "measure": "level",
        "status": "actual",
    }
    response = editor.post(f"/documents/{key}/add", data=form)
    assert response.status_code == 303
    store = Store(folder)
    added = [d for d in latest(store).values() if d.verdict == "added"]
    store.close()
    assert len(added) == 1 and added[0].fields["value_text"] == "KAZINFORM" and added[0].editor == EDITOR
    html = _text(editor, response.headers["Location"])
    assert "Added «KAZINFORM»." in html
    mark = rf'class="seg fig ind-none added" data-start="{start}" data-records="{added[0].record_id}"'
    assert re.search(mark, html)
    bad = editor.post(f"/documents/{key}/add", data=form | {"char_start": "x"})
    assert bad.status_code == 400


def test_a_decision_while_a_run_writes_asks_to_try_again(folder: Path) -> None:
    app = create_app(folder)
    app.config["STORE_BUSY_MS"] = 50
    client = app.test_client()
    client.set_cookie(EDITOR_COOKIE, "Dana")
    record = records_of(folder, AKMOLA)[0]
    data = {"csrf_token": csrf(client), "doc_key": doc_key(folder, AKMOLA), "verdict": "right"}
    writer = sqlite3.connect(folder / "derek.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # as a run applying its files
    try:
        response = client.post(f"/records/{record['record_id']}/decide", data=data)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert response.status_code == 503 and "The store is busy" in response.get_data(as_text=True)
    assert client.post(f"/records/{record['record_id']}/decide", data=data).status_code == 303


# -- access -------------------------------------------------------------------------------


def test_a_token_is_checked_on_every_request(folder: Path) -> None:
    app = create_app(folder, token="s3cret")
    client = app.test_client()
    for path in ("/", "/static/desk.css", "/charts/poverty.rate.svg"):
        assert client.get(path).status_code == 401, path
    assert client.get("/?token=wrong").status_code == 401
    assert client.get("/", headers={"X-Desk-Token": "s3cret"}).status_code == 200
    entry = client.get("/queue?token=s3cret&page=2")
    assert entry.status_code == 303 and entry.headers["Location"] == "/queue?page=2"
    assert client.get("/queue").status_code == 200  # the cookie carries it from now on


def test_without_a_token_only_local_host_names_are_served(client: FlaskClient) -> None:
    assert client.get("/", base_url="http://127.0.0.1:8765").status_code == 200
    assert client.get("/", base_url="http://attacker.example").status_code == 400  # DNS rebinding


def test_a_decision_whose_record_is_gone_is_listed_as_orphaned(client: FlaskClient, folder: Path) -> None:
    from extractor.review.decisions import decide

    kept, gone = records_of(folder, AKMOLA)[:2]
    store = Store(folder)
    try:
        decide(store, kept["record_id"], "right", EDITOR)
        decide(store, gone["record_id"], "wrong", EDITOR, comment="not a count")
        # a later run with changed patterns no longer finds this record
        store.conn.execute("DELETE FROM records WHERE record_id = ?", (gone["record_id"],))
    finally:
        store.close()
    html = _text(client, "/orphaned")
    assert gone["record_id"] in html and "not a count" in html and EDITOR in html
    assert kept["record_id"] not in html
    assert 'href="/orphaned"' in _text(client, "/")
