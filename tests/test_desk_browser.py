"""The desk in a real browser: the system's chromium driven by Playwright (nothing downloaded).

Skipped where Playwright or a chromium executable is missing. Screenshots go to the test's
temporary folder and to /tmp/desk_shots/, for a person to look at the layout.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.desk.app import create_app
from extractor.review.decisions import latest
from extractor.store import Store
from tests.desk_fixtures import HOSTILE_ID, build_store, doc_key, records_of

sync_api = pytest.importorskip("playwright.sync_api")
CANDIDATES = ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
CHROMIUM = next((path for path in CANDIDATES if path and Path(path).exists()), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium executable")
SHOTS = Path("/tmp/desk_shots")
# selects a word of the article as a reader's drag would, and lets go of the mouse
SELECT_WORD = """word => {
    const article = document.getElementById('article');
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(word);
        if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
            article.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
            return;
        }
    }
}"""
NAME = "Dana"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The desk over a fresh store, served in a thread on a free port."""
    from werkzeug.serving import make_server

    store = build_store(tmp_path_factory.mktemp("browser"))
    server = make_server("127.0.0.1", 0, create_app(store), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", store
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, served: tuple[str, Path]) -> Iterator[object]:
    """A page whose editor typed a name; it fails the test on any script error or dialog."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    base = served[0]
    opened.goto(base + "/")
    opened.fill("header input[name=editor]", NAME)
    opened.click("header button[type=submit]")
    opened.wait_for_load_state()
    yield opened
    context.close()
    assert problems == []


def _shot(page, tmp_path: Path, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(tmp_path / name), full_page=full)
    shutil.copy(tmp_path / name, SHOTS / name)


def _stored(store: Path) -> dict:
    opened = Store(store)
    try:
        return latest(opened)
    finally:
        opened.close()


def test_click_a_highlight_then_press_y(page, served: tuple[str, Path], tmp_path: Path) -> None:
    base, store = served
    record = records_of(store, "kk_akmola_aek_brifing")[1]
    page.goto(f"{base}/documents/{doc_key(store, 'kk_akmola_aek_brifing')}")
    highlight = page.locator(f".seg.fig[data-records~='{record['record_id']}']").first
    highlight.click()
    row = page.locator(f"#r-{record['record_id']}")
    assert "selected" in (row.get_attribute("class") or "")
    assert page.locator(f"#panel-{record['record_id']}").is_visible()
    assert "sel" in (highlight.get_attribute("class") or "")
    _shot(page, tmp_path, "document.png")
    page.keyboard.press("j")  # the next record, then back
    assert "selected" not in (row.get_attribute("class") or "")
    page.keyboard.press("k")
    with page.expect_navigation():
        page.keyboard.press("y")
    saved = _stored(store)[record["record_id"]]
    assert (saved.verdict, saved.editor) == ("right", NAME)
    # the desk moved on to the next record and shows the decision in the table
    assert f"#r-{record['record_id']}" in page.url or "sel=" in page.url
    assert page.locator(f"#r-{record['record_id']} .badge.verdict-right").is_visible()


def test_add_a_missed_figure_by_selecting_text(page, served: tuple[str, Path], tmp_path: Path) -> None:
    base, store = served
    key = doc_key(store, HOSTILE_ID)
    page.goto(f"{base}/documents/{key}")
    page.evaluate(SELECT_WORD, "Толығырақ")  # after a CR LF: the offsets must count the CR
    page.keyboard.press("a")
    assert page.locator("#add-panel").get_attribute("open") is not None
    stored = Store(store)
    text = (stored.document_text(key) or ("", ""))[1]
    stored.close()
    start = text.index("Толығырақ")
    assert page.input_value("#add-start") == str(start)
    assert page.input_value("#add-end") == str(start + len("Толығырақ"))
    page.fill("#add-value", "1")
    page.fill("#add-unit", "link")
    _shot(page, tmp_path, "add_missed.png")
    with page.expect_navigation():
        page.click("#add-form button[type=submit]")
    added = [d for d in _stored(store).values() if d.verdict == "added"]
    assert [(d.fields["value_text"], d.editor) for d in added] == [("Толығырақ", NAME)]
    assert page.locator(".seg.fig.added").first.is_visible()


def test_the_hostile_article_runs_nothing(page, served: tuple[str, Path], tmp_path: Path) -> None:
    base, store = served
    page.goto(f"{base}/documents/{doc_key(store, HOSTILE_ID)}")
    assert page.locator("article img, article script, article a").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.inner_text("#article")
    assert page.locator("h1").inner_text().count("<script>") == 1
    # (the page fixture fails the test on any dialog or script error)


def _frame(page, suffix: str, seconds: float = 15.0):
    """The frame of an <object> whose document ends in `suffix`, once it has loaded (a busy
    machine may load the charts after the page's own load event)."""
    for _ in range(int(seconds * 10)):
        frame = next((f for f in page.frames if f.url.endswith(suffix)), None)
        if frame is not None:
            return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame {suffix} among {[f.url for f in page.frames]}")


def test_overview_points_open_their_records(page, served: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = served
    page.goto(f"{base}/overview")
    page.locator("object.chart-svg").first.scroll_into_view_if_needed()
    frame = _frame(page, "/social_assistance.families.svg")
    point = frame.locator("a use").first  # a point's marker, inside its link
    point.wait_for(state="visible")
    page.wait_for_load_state("networkidle")  # every chart in, so nothing moves under the mouse
    _shot(page, tmp_path, "overview.png")
    for attempt in range(2):  # a busy machine may lose the first click in the chart's frame
        try:
            with page.expect_navigation(timeout=10_000):
                point.click()
            break
        except sync_api.TimeoutError:
            if attempt:
                raise
    assert "/records?" in page.url and page.locator("td.sentence").count() >= 1
