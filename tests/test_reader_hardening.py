"""Inputs that must never stop, stall or corrupt a run: each through the API, `extract` and `run`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from extractor import extract_files
from extractor.cli import main
from extractor.reader import decode, read_file

ARTICLE_RU = (
    "АСП в области\n\nВ 2024 году в Костанайской области адресную социальную помощь получили "
    "9 300 человек. На выплаты направлено 1,4 млрд тенге.\n"
)


def _manifest_by_api(folder: Path) -> pd.DataFrame:
    return extract_files(folder, tagger="none").attrs["manifest"]


def _manifest_by_cli(folder: Path, out: Path, command: str) -> pd.DataFrame:
    extra = ["--workers", "1"] if command == "run" else []
    target = ["--store", str(out)] if command == "run" else ["-o", str(out)]
    assert main([command, str(folder), *target, "--tagger", "none", *extra]) == 0
    return pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)


@pytest.fixture(params=["api", "extract", "run"])
def manifest_of(request, tmp_path: Path):
    def read(folder: Path) -> pd.DataFrame:
        if request.param == "api":
            return _manifest_by_api(folder)
        return _manifest_by_cli(folder, tmp_path / f"out_{request.param}", request.param)

    return read


def test_a_lone_surrogate_in_a_feed_is_made_valid(tmp_path: Path, manifest_of) -> None:
    line = json.dumps({"id": "s1", "text": "x \udc00 y. " + ARTICLE_RU})  # json escapes it as \\udc00
    (tmp_path / "feed.jsonl").write_text(line + "\n", encoding="utf-8")
    manifest = manifest_of(tmp_path)
    assert manifest["status"].tolist() == ["ok"]


@pytest.mark.skipif(sys.platform != "linux", reason="file names as raw bytes")
def test_a_file_name_that_is_not_utf8_gets_its_row(tmp_path: Path, manifest_of) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(ARTICLE_RU, encoding="utf-8")
    manifest = manifest_of(tmp_path)
    assert manifest["status"].tolist() == ["ok"]
    assert "caf\\xe9" in manifest["source"].iloc[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_and_a_link_to_a_device_are_skipped_not_read(tmp_path: Path, manifest_of) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE_RU, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    manifest = manifest_of(tmp_path)
    rows = dict(zip(manifest["source"].map(lambda s: Path(s).name), manifest["status"], strict=True))
    assert rows.get("good.txt") == "ok"
    for name in ("pipe.txt", "zero.txt"):
        explicit = list(read_file(tmp_path / name))
        assert explicit[0].status == "skipped" and "regular" in explicit[0].reason


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", 5), ("text", ["a", "b"]), ("id", {"a": 1}), ("title", 3.5), ("text", True)],
)
def test_feed_fields_of_the_wrong_type_are_error_rows(tmp_path: Path, field: str, value: object) -> None:
    item = {"id": "x1", "text": ARTICLE_RU, field: value}
    good = {"id": "x2", "text": ARTICLE_RU}
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(item) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    manifest = _manifest_by_api(tmp_path)
    assert manifest["status"].tolist() == ["error", "ok"], manifest
    assert field in manifest["error"].iloc[0]


def test_nan_in_a_feed_is_an_error_row(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text('{"id": "n", "text": NaN}\n', encoding="utf-8")
    assert _manifest_by_api(tmp_path)["status"].tolist() == ["error"]


def test_a_feed_repeating_an_id_keeps_one_version_and_ids_stay_unique(tmp_path: Path) -> None:
    first = {"id": "same", "text": ARTICLE_RU}
    second = {"id": "same", "text": ARTICLE_RU.replace("9 300", "9 400")}
    (tmp_path / "feed.jsonl").write_text(f"{json.dumps(first)}\n{json.dumps(second)}\n", encoding="utf-8")
    frame = extract_files(tmp_path, tagger="none")
    assert frame["record_id"].is_unique
    assert 9300 in frame["value"].tolist() and 9400 not in frame["value"].tolist()
    assert frame.attrs["manifest"]["status"].tolist() == ["ok", "skipped"]


CYRILLIC = "Жители Павлодарской области получили адресную помощь: 4 200 человек на 1,2 млрд тенге. " * 4


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "kz1048"])
def test_cyrillic_code_pages_are_told_apart(encoding: str) -> None:
    text, _ = decode(CYRILLIC.encode(encoding))
    assert text == CYRILLIC


def test_one_bad_byte_keeps_a_utf8_file_utf8_and_says_so() -> None:
    data = CYRILLIC.encode("utf-8")
    text, note = decode(data[:50] + b"\xff" + data[50:])
    assert "Павлодарской" in text and "\ufffd" in text and "invalid" in note


def test_utf16_without_bom_and_a_stray_nul_are_text() -> None:
    assert decode(CYRILLIC.encode("utf-16-le"))[0] == CYRILLIC
    assert decode(CYRILLIC.encode("utf-8") + b"\x00")[0] == CYRILLIC


def test_every_file_of_a_folder_gets_a_row_unsupported_types_too(tmp_path: Path, manifest_of) -> None:
    folder = tmp_path / "in"
    (folder / "sub" / ".git").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE_RU, encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4 binary")
    (folder / "sub" / "README").write_text("no suffix", encoding="utf-8")
    (folder / ".draft.txt").write_text(ARTICLE_RU, encoding="utf-8")  # hidden: not an input
    (folder / "sub" / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    manifest = manifest_of(folder)
    rows = {Path(source).name: (status, error) for source, status, error in
            manifest[["source", "status", "error"]].itertuples(index=False)}  # fmt: skip
    assert set(rows) == {"a.txt", "report.pdf", "README"}
    assert rows["a.txt"][0] == "ok"
    assert rows["report.pdf"] == ("skipped", "unsupported type .pdf")
    assert rows["README"] == ("skipped", "unsupported type (none)")
