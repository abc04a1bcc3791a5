"""The desk's overview and its charts, and the commands `derek review` and `derek chart`."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from extractor.cli import main
from extractor.desk.charts import chart_series, reviewed_ids, svg
from extractor.desk.security import CHART_POLICY
from extractor.review.decisions import decide
from extractor.review.export import corrected
from extractor.store import Store
from tests.desk_fixtures import EDITOR

from .conftest import ROOT


def _text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_the_overview_charts_link_each_point_to_its_records(client: FlaskClient, folder: Path) -> None:
    html = _text(client, "/overview")
    for indicator in ("social_assistance.recipients", "social_assistance.families", "poverty.rate"):
        assert f'data="/charts/{indicator}.svg"' in html
    body = client.get("/charts/poverty.rate.svg").get_data(as_text=True)
    links = re.findall(r'href="(/records\?[^"]+)"', body)
    assert links, "the chart's points carry no links"
    page = _text(client, links[0].replace("&amp;", "&"))
    assert "sel=" in page and "poverty.rate" in page


def test_reviewed_points_and_conflicts_are_marked(folder: Path) -> None:
    families = "social_assistance.families"
    store = Store(folder)
    try:
        frame = corrected(store)
        before = chart_series(frame, families, reviewed_ids(frame))
        facts = frame[(frame["indicator"] == families) & (frame["status"] == "actual")]
        rows = facts.set_index("region_code")["record_id"]
        # Akmola's figure moved to Zhambyl's 2024, where the feed says 12 400: a conflict
        decide(store, rows["KZ-11"], "fix", EDITOR, fields={"region": "KZ-31", "year": 2024, "value": 12000})
        frame = corrected(store)
        moved = chart_series(frame, families, reviewed_ids(frame))
        decide(store, rows["KZ-31"], "fix", EDITOR, fields={"value": 1})
        decide(store, rows["KZ-31"], "right", EDITOR)  # the latest counts: back as found, reviewed
        frame = corrected(store)
        confirmed = chart_series(frame, families, reviewed_ids(frame))
    finally:
        store.close()
    assert [(p.region_code, p.year, p.reviewed) for p in before.points] == [
        ("KZ-11", 2023, False),
        ("KZ-31", 2024, False),
    ]
    (point,) = moved.points
    assert point.conflict and point.values == (12000.0, 12400.0) and not point.reviewed
    (point,) = confirmed.points
    assert point.values == (12000.0, 12400.0) and point.reviewed
    assert "conflicting values" in svg(confirmed) and "reviewed" in point.label("family")


def test_wrong_records_leave_the_chart(folder: Path) -> None:
    store = Store(folder)
    try:
        frame = corrected(store)
        rate = frame[frame["indicator"] == "poverty.rate"]
        for record_id in rate["record_id"]:
            decide(store, record_id, "wrong", EDITOR)
        assert chart_series(corrected(store), "poverty.rate").points == ()
    finally:
        store.close()


def test_charts_are_served_so_they_cannot_run_script(client: FlaskClient) -> None:
    response = client.get("/charts/social_assistance.recipients.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == CHART_POLICY
    assert "sandbox" in CHART_POLICY and "script-src" not in CHART_POLICY
    body = response.get_data(as_text=True)
    assert "<script" not in body and 'target="_top"' in body


# -- the commands -------------------------------------------------------------------------


def test_derek_chart_writes_png_and_svg(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    png, drawing = tmp_path / "rate.png", tmp_path / "charts" / "rate.svg"
    assert main(["chart", "--store", str(folder), "--indicator", "poverty.rate", "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert "points" in capsys.readouterr().out
    assert main(["chart", "--store", str(folder), "--indicator", "poverty.rate", "-o", str(drawing)]) == 0
    text = drawing.read_text(encoding="utf-8")
    store = Store(folder)
    points = chart_series(corrected(store), "poverty.rate").points
    store.close()
    assert "<svg" in text and "<script" not in text and all(p.region_name in text for p in points)
    again = tmp_path / "again.svg"
    main(["chart", "--store", str(folder), "--indicator", "poverty.rate", "-o", str(again)])
    assert again.read_bytes() == drawing.read_bytes()  # the same store draws the same chart


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chart", "--indicator", "poverty.rates", "-o", "x.png"], "no indicator 'poverty.rates'"),
        (["chart", "--indicator", "poverty.rate", "-o", "x.pdf"], "a .png or .svg file"),
        (["review", "--host", "0.0.0.0"], "give --token"),
    ],
)
def test_derek_commands_refuse_bad_usage(
    folder: Path, args: list[str], message: str, capsys: pytest.CaptureFixture
) -> None:
    assert main([*args, "--store", str(folder)]) == 2
    assert message in capsys.readouterr().err


def test_derek_review_needs_a_store(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["review", "--store", str(tmp_path / "none")]) == 2
    assert "no store in" in capsys.readouterr().err


def test_derek_review_serves_the_desk_on_localhost(folder: Path) -> None:
    command = [sys.executable, "-m", "extractor.cli", "review", "--store", str(folder), "--port", "0"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line + (server.stderr.read() if server.poll() is not None and server.stderr else "")
        with urllib.request.urlopen(found.group(0), timeout=30) as response:
            assert response.status == 200 and "Documents" in response.read().decode("utf-8")
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=30)
