"""Bad and unusual input: each gets a manifest row with a reason, and the run goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from extractor import extract_files
from extractor.api import MANIFEST_COLUMNS
from extractor.cli import main

ARTICLE_RU = "Помощь семьям\nВ 2023 году в области адресную помощь получили 1 250 семей."
ARTICLE_KK = "Облыста көмек\n2024 жылы облыста 3 400 адам атаулы әлеуметтік көмек алды."


def _write(folder: Path) -> dict[str, Path]:
    files = {
        "good.txt": ARTICLE_RU.encode("utf-8"),
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 20,
        "cp1251.txt": ARTICLE_RU.encode("cp1251"),
        "utf16.txt": ARTICLE_KK.encode("utf-16"),
        "menu.html": b"<html><head><script>var x = 5;</script></head><body><nav><a>Main</a>"
        b"<a>News</a></nav></body></html>",
    }
    feed = [
        json.dumps({"id": "feed-1", "title": "Көмек", "text": ARTICLE_KK, "lang": "kk"}),
        "{not json",
        json.dumps({"id": "feed-2", "text": ARTICLE_RU, "published": "2024-02-01"}),
    ]
    files["feed.jsonl"] = "\n".join(feed).encode("utf-8")
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def test_every_input_gets_one_manifest_row(tmp_path: Path) -> None:
    _write(tmp_path)
    records = extract_files(tmp_path, tagger="none")
    manifest = records.attrs["manifest"].set_index("doc_id")
    assert list(records.attrs["manifest"].columns) == list(MANIFEST_COLUMNS)
    assert manifest.loc["good", "status"] == "ok" and manifest.loc["good", "records"] == 1
    assert manifest.loc["empty", "status"] == "empty"
    assert manifest.loc["binary", "status"] == "error"
    assert "binary" in manifest.loc["binary", "error"]
    assert manifest.loc["cp1251", "status"] == "ok" and manifest.loc["cp1251", "records"] == 1
    assert manifest.loc["utf16", "status"] == "ok" and manifest.loc["utf16", "lang"] == "kk"
    assert manifest.loc["menu", "status"] == "empty"
    assert manifest.loc["feed:2", "status"] == "error"
    assert "malformed JSON" in manifest.loc["feed:2", "error"]
    assert manifest.loc["feed-1", "records"] == 1 and manifest.loc["feed-2", "records"] == 1
    assert len(manifest) == 9
    assert manifest["sha256"].str.len().eq(64).all()


def test_cp1251_and_utf16_give_the_same_records_as_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE_RU, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(ARTICLE_RU.encode("cp1251"))
    (tmp_path / "c.txt").write_bytes(ARTICLE_RU.encode("utf-16"))
    records = extract_files(tmp_path, tagger="none")
    values = records.groupby("doc_id")[["value", "unit", "char_start", "value_text"]].first()
    assert (values.nunique() == 1).all(), values


def test_feed_metadata_is_used(tmp_path: Path) -> None:
    _write(tmp_path)
    records = extract_files(tmp_path / "feed.jsonl", tagger="none").set_index("doc_id")
    assert records.loc["feed-2", "published"] == "2024-02-01"
    assert records.loc["feed-1", "title"] == "Көмек"


PAGE = (
    "<html><head><title>Помощь семьям</title>"
    '<meta property="article:published_time" content="2024-03-05"></head><body><article>'
    "<p>В 2023 году в области адресную помощь получили 1 250 семей, что больше прошлого года.</p>"
    "<p>На выплаты направлено 1,4 млрд тенге из местного бюджета области.</p>"
    "</article></body></html>"
)


def test_a_feed_page_reads_the_same_body_whether_or_not_the_feed_dates_it(tmp_path: Path) -> None:
    """A feed line that names title and date skips the page's own metadata: its body is the
    page's body all the same, and a line without a date still gets the page's."""
    lines = [
        {"id": "dated", "title": "Помощь семьям", "published": "2024-02-01", "html": PAGE},
        {"id": "undated", "title": "Помощь семьям", "html": PAGE},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    from extractor.reader import read_file

    articles = {a.doc_id: a for path in sorted(tmp_path.iterdir()) for a in read_file(path)}
    assert articles["dated"].text == articles["undated"].text == articles["page"].text
    assert "1 250 семей" in articles["dated"].text
    assert articles["dated"].published == "2024-02-01"
    assert articles["undated"].published == articles["page"].published == "2024-03-05"


def test_cli_writes_all_outputs_and_exits_zero_on_bad_input(tmp_path: Path, capsys) -> None:
    (tmp_path / "in").mkdir()
    _write(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "in"), "-o", str(out), "--tagger", "none"]) == 0
    for name in ("records.csv", "records.parquet", "records.jsonl", "documents.csv"):
        assert (out / name).is_file()
    from extractor.record import COLUMNS

    assert list(pd.read_csv(out / "records.csv").columns) == list(COLUMNS)
    assert list(pd.read_parquet(out / "records.parquet").columns) == list(COLUMNS)
    assert len(pd.read_csv(out / "documents.csv")) == 9
    assert "error" in capsys.readouterr().out


def test_cli_usage_errors_exit_non_zero(tmp_path: Path) -> None:
    assert main(["extract", str(tmp_path / "missing"), "-o", str(tmp_path)]) == 2
    assert main(["eval", str(tmp_path / "no.csv"), str(tmp_path / "no.csv")]) == 2
