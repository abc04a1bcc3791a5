"""The outputs: swapped in whole, leftovers of killed writes removed, a full disk leaving the
old outputs, the umask respected, CSV a spreadsheet cannot run, types for pandas, and
re-runs that render only what changed."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import extractor
from extractor.cli import main
from extractor.dataset import generations, incremental
from extractor.nightly import RunOptions, run
from extractor.output import OutputError, publish_store, write_outputs
from extractor.store import Store

from .conftest import ROOT

STORE_OUTPUTS = ("records.csv", "records.parquet", "documents.csv", "documents.parquet")
REGIONS = ("Костанайской", "Павлодарской", "Жамбылской", "Акмолинской")
FORMULA_TITLE = '=HYPERLINK("http://example.org") помощь семьям'
NUMBERS = extractor.api.FRAME_TYPES  # year Int64, value and value_max float64, offsets int64
MISSING = {"year": [""], "value": [""], "value_max": [""], "published": [""]}


def _article(n: int, families: int) -> str:
    region = REGIONS[n % len(REGIONS)]
    date = f"date 2024-0{1 + n % 9}-1{n % 10}\n" if n % 3 else ""  # every third one has no date
    return (
        f"{date}Помощь семьям, выпуск {n}\n"
        f"В 2023 году в {region} области адресную социальную помощь получили {families} семей. "
        f"На выплаты направлено {n + 1},5 млрд тенге.\n"
    )


def _inputs(folder: Path, count: int = 12) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"news_{n:03d}.txt").write_text(_article(n, 1000 + n), encoding="utf-8")
    return folder


def _run(inputs: Path, store: Path) -> object:
    return run(RunOptions(inputs=[str(inputs)], store=store, tagger="none", progress=False))


def _bytes(store: Path) -> dict[str, bytes]:
    return {name: (store / name).read_bytes() for name in STORE_OUTPUTS}


def _generations(store: Path) -> list[str]:
    return sorted(p.name for p in (store / generations.GENERATIONS).iterdir())


def _publish(store: Path) -> int:
    opened = Store(store)
    try:
        return publish_store(opened, store)
    finally:
        opened.close()


# --- one generation at a time ---------------------------------------------------------------


def test_a_runs_outputs_are_links_into_one_generation_and_the_old_one_goes(tmp_path: Path) -> None:
    inputs, store = _inputs(tmp_path / "in"), tmp_path / "out"
    _run(inputs, store)
    first = _generations(store)
    (inputs / "news_000.txt").write_text(_article(0, 4321), encoding="utf-8")
    _run(inputs, store)
    current = os.path.realpath(store / "current")
    assert len(first) == 1 and _generations(store) == [Path(current).name] != first
    for name in STORE_OUTPUTS:
        assert (store / name).is_symlink() and os.readlink(store / name) == f"current/{name}"
        assert os.path.dirname(os.path.realpath(store / name)) == current
    assert "4321.0" in (store / "records.csv").read_text(encoding="utf-8")


def test_a_failed_swap_leaves_every_old_output_in_place(tmp_path: Path, monkeypatch) -> None:
    inputs, store = _inputs(tmp_path / "in"), tmp_path / "out"
    _run(inputs, store)
    before, old = _bytes(store), os.path.realpath(store / "current")
    (inputs / "news_001.txt").write_text(_article(1, 777), encoding="utf-8")
    point = generations._point

    def refuse_current(link: Path, target: str) -> None:
        if link.name == generations.CURRENT:
            raise OSError(errno.EIO, "Input/output error")
        point(link, target)

    monkeypatch.setattr(generations, "_point", refuse_current)
    with pytest.raises(OutputError):
        _run(inputs, store)
    assert _bytes(store) == before and _generations(store) == [Path(old).name]
    assert {os.path.dirname(os.path.realpath(store / name)) for name in STORE_OUTPUTS} == {old}


def test_an_older_layout_of_plain_files_becomes_links(tmp_path: Path) -> None:
    inputs, store = _inputs(tmp_path / "in", count=3), tmp_path / "out"
    store.mkdir()
    for name in ("records.csv", "records.parquet", "documents.csv"):
        (store / name).write_text("written by an older derek", encoding="utf-8")
    (store / "records.jsonl").symlink_to("current/records.jsonl")  # an output this run has not
    summary = _run(inputs, store)
    assert all((store / name).is_symlink() for name in STORE_OUTPUTS)
    assert len(pd.read_csv(store / "records.csv")) == summary.records == 6
    assert not os.path.lexists(store / "records.jsonl")


def test_leftovers_of_killed_writes_are_removed_by_the_next_run(tmp_path: Path) -> None:
    inputs, store = _inputs(tmp_path / "in"), tmp_path / "out"
    _run(inputs, store)
    stale = [store / ".records.csv.k3j9x2.tmp", store / ".documents.csv.abcd1234.tmp"]
    for path in stale:
        path.write_text("half a file", encoding="utf-8")
    dead = store / generations.GENERATIONS / "20200101T000000-1-dead00"
    dead.mkdir()
    (dead / generations.LOCK).touch()
    (dead / "records.csv").write_text("half", encoding="utf-8")
    link = store / ".current.0000dead.tmp"
    os.symlink(".generations/20200101T000000-1-dead00", link)
    os.utime(link, (0, 0), follow_symlinks=False)
    # a write still going on (its lock held) is left alone
    busy = store / generations.GENERATIONS / "20200101T000000-2-busy00"
    busy.mkdir()
    held = os.open(busy / generations.LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        _run(inputs, store)
        assert not any(p.exists() for p in stale) and not dead.exists() and not os.path.lexists(link)
        assert busy.exists()
    finally:
        os.close(held)
    _run(inputs, store)
    assert not busy.exists() and len(_generations(store)) == 1


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from extractor.dataset import incremental
from extractor.store import Store
from extractor.output import publish_store

real = incremental.write_all
def slow(fd, data):
    real(fd, data)
    Path(sys.argv[2]).touch()
    time.sleep(60)
incremental.write_all = slow
store = Store(Path(sys.argv[1]))
publish_store(store, Path(sys.argv[1]))
"""


def test_a_write_killed_mid_way_leaves_the_old_outputs_and_the_next_run_tidies(tmp_path: Path) -> None:
    inputs, store = _inputs(tmp_path / "in"), tmp_path / "out"
    _run(inputs, store)
    before = _bytes(store)
    (store / "current" / incremental.INDEX_NAME).unlink()  # no cache: the writer renders everything
    ready = tmp_path / "writing"
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(store), str(ready)], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert ready.exists() and _bytes(store) == before and len(_generations(store)) == 2
    _run(inputs, store)
    assert _bytes(store)["records.csv"] == before["records.csv"] and len(_generations(store)) == 1


# --- a full disk ----------------------------------------------------------------------------


def _full_disk(monkeypatch) -> None:
    """records.csv's bytes go to /dev/full: the kernel answers ENOSPC, as on a full disk."""
    full = os.open("/dev/full", os.O_WRONLY)
    real = incremental.write_all
    monkeypatch.setattr(incremental, "write_all", lambda fd, data: real(full, data))


def test_a_full_disk_keeps_the_old_outputs_and_says_why(tmp_path: Path, monkeypatch) -> None:
    inputs, store = _inputs(tmp_path / "in"), tmp_path / "out"
    _run(inputs, store)
    before, kept = _bytes(store), _generations(store)
    _full_disk(monkeypatch)
    with pytest.raises(OutputError) as raised:
        _publish(store)
    assert raised.value.errno == errno.ENOSPC and "No space left on device" in str(raised.value)
    assert "previous outputs are kept" in str(raised.value)
    assert _bytes(store) == before and _generations(store) == kept


def test_the_cli_reports_a_full_disk_without_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    inputs, store = _inputs(tmp_path / "in"), tmp_path / "out"
    _run(inputs, store)
    before = _bytes(store)
    (inputs / "news_002.txt").write_text(_article(2, 999), encoding="utf-8")
    _full_disk(monkeypatch)
    code = main(["run", str(inputs), "--store", str(store), "--tagger", "none", "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 5 and "No space left on device" in err and "Traceback" not in err
    assert _bytes(store) == before


def test_a_full_disk_in_parquet_or_extract_keeps_the_old_outputs(tmp_path: Path, monkeypatch, capsys) -> None:
    inputs, store, out = _inputs(tmp_path / "in"), tmp_path / "out", tmp_path / "extract"
    _run(inputs, store)
    assert main(["extract", str(inputs), "-o", str(out), "--tagger", "none"]) == 0
    before, extracted = _bytes(store), (out / "records.csv").read_bytes()

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(incremental.pq.ParquetWriter, "write_table", no_space)
    with pytest.raises(OutputError):
        _publish(store)
    monkeypatch.setattr("extractor.output.pq.write_table", no_space)
    (inputs / "news_003.txt").write_text(_article(3, 31337), encoding="utf-8")
    assert main(["extract", str(inputs), "-o", str(out), "--tagger", "none"]) == 5
    assert "No space left on device" in capsys.readouterr().err
    assert _bytes(store) == before and (out / "records.csv").read_bytes() == extracted
    assert len(_generations(out)) == 1


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_outputs_respect_the_umask(tmp_path: Path, umask: int) -> None:
    inputs, store, out = _inputs(tmp_path / "in"), tmp_path / "out", tmp_path / "extract"
    previous = os.umask(umask)
    try:
        _run(inputs, store)
        assert main(["extract", str(inputs), "-o", str(out), "--tagger", "none"]) == 0
        assert main(["export", "--store", str(store), "--format", "jsonl"]) == 0
    finally:
        os.umask(previous)
    files = [store / name for name in STORE_OUTPUTS] + [out / "records.jsonl", store / "records.jsonl"]
    for path in files:
        assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask, path
    assert os.stat(store / "current").st_mode & 0o777 == 0o777 & ~umask


# --- CSV a spreadsheet shows as text ------------------------------------------------------------


def test_csv_cells_a_spreadsheet_would_run_are_text_and_numbers_stay_numbers(tmp_path: Path) -> None:
    risky = ["=1+2", "+7 (700) 000", "-5%", "@SUM(A1)", "\tx", "\rx", "'quoted", "plain", ""]
    records = pd.DataFrame({name: [None] * len(risky) for name in extractor.COLUMNS})
    records["title"] = risky
    records["value_text"] = risky
    records["value"] = [-5.0, 7.0, -1.5, 0.0, 1.0, 2.0, 3.0, 4.0, -1e16]
    records["char_start"], records["char_end"] = 0, 1
    records = records.astype(extractor.api.FRAME_TYPES)
    write_outputs(records, extractor.manifest_frame([]), tmp_path)
    lines = pd.read_csv(tmp_path / "records.csv", dtype=str, keep_default_na=False)
    escaped = ["'=1+2", "'+7 (700) 000", "'-5%", "'@SUM(A1)", "'\tx", "'\rx", "''quoted", "plain", ""]
    assert lines["title"].tolist() == escaped and lines["value_text"].tolist() == escaped
    assert lines["value"].tolist() == ["-5.0", "7.0", "-1.5", "0.0", "1.0", "2.0", "3.0", "4.0", "-1e+16"]
    assert pd.read_parquet(tmp_path / "records.parquet")["title"].tolist() == risky
    jsonl = (tmp_path / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["title"] for line in jsonl] == risky
    # removing one leading ' gives the text back
    assert lines["title"].str.removeprefix("'").tolist() == risky


def test_a_formula_in_an_article_is_escaped_in_csv_only(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", count=2)
    (inputs / "risky.txt").write_text(
        f"{FORMULA_TITLE}\nВ 2023 году в Костанайской области адресную помощь получили 1 250 семей.\n",
        encoding="utf-8",
    )
    _run(inputs, tmp_path / "out")
    assert main(["extract", str(inputs), "-o", str(tmp_path / "extract"), "--tagger", "none"]) == 0
    for folder in (tmp_path / "out", tmp_path / "extract"):
        csv_rows = pd.read_csv(folder / "records.csv", dtype=str, keep_default_na=False)
        parquet = pd.read_parquet(folder / "records.parquet")
        assert csv_rows.loc[csv_rows["doc_id"] == "risky", "title"].tolist() == ["'" + FORMULA_TITLE]
        assert parquet.loc[parquet["doc_id"] == "risky", "title"].tolist() == [FORMULA_TITLE]


# --- types for pandas ---------------------------------------------------------------------------


def _load_csv(path: Path) -> pd.DataFrame:
    """README, "Loading the dataset": records.csv with its types."""
    records = pd.read_csv(
        path,
        dtype=defaultdict(lambda: str, NUMBERS),
        keep_default_na=False,
        na_values=MISSING,
        parse_dates=["published"],
    )
    text = records.columns.difference([*NUMBERS, "published"])
    records[text] = records[text].apply(lambda column: column.str.removeprefix("'"))
    return records


def test_parquet_is_typed_and_every_format_agrees_on_values_and_missing_ones(tmp_path: Path) -> None:
    inputs, store = _inputs(tmp_path / "in"), tmp_path / "out"
    _run(inputs, store)
    assert main(["export", "--store", str(store), "--format", "jsonl"]) == 0
    schema = pq.read_schema(store / "records.parquet")
    assert schema.field("published").type == pa.date32() and schema.field("year").type == pa.int64()
    assert schema.field("value_max").type == pa.float64() and schema.field("title").type == pa.string()
    documents = pq.read_schema(store / "documents.parquet")
    assert documents.field("processed_at").type == pa.timestamp("ms", tz="UTC")
    parquet = pd.read_parquet(store / "records.parquet")
    assert str(parquet["year"].dtype) == "Int64" and parquet["published"].isna().any()
    assert (parquet["district_code"] == "").all() and parquet["value_max"].isna().all()
    parquet["published"] = pd.to_datetime(parquet["published"]).astype("datetime64[us]")
    from_csv = _load_csv(store / "records.csv")
    pd.testing.assert_frame_equal(from_csv, parquet, check_dtype=False)
    assert from_csv.dtypes.to_dict() == parquet.dtypes.to_dict()
    jsonl = pd.read_json(store / "records.jsonl", lines=True, dtype=defaultdict(lambda: str, NUMBERS))
    jsonl["published"] = pd.to_datetime(jsonl["published"]).astype("datetime64[us]")
    pd.testing.assert_frame_equal(jsonl[parquet.columns], parquet, check_dtype=False)
    manifest = pd.read_parquet(store / "documents.parquet")
    assert str(manifest["processed_at"].dt.tz) == "UTC" and manifest["error"].eq("").all()
    manifest_csv = pd.read_csv(
        store / "documents.csv",
        dtype=defaultdict(lambda: str, {"records": "int64"}),
        keep_default_na=False,
        parse_dates=["processed_at"],
    )
    pd.testing.assert_frame_equal(manifest_csv, manifest, check_dtype=False)


def test_records_frame_is_public_and_typed() -> None:
    text = "Помощь\nВ 2023 году в Костанайской области адресную помощь получили 1 250 семей."
    frame = extractor.records_frame(extractor.extract_text(text, tagger="none"))
    assert "records_frame" in extractor.__all__ and "manifest_frame" in extractor.__all__
    assert list(frame.columns) == list(extractor.COLUMNS) and frame["value"].tolist() == [1250.0]
    assert str(frame["year"].dtype) == "Int64" and frame["value_max"].dtype == "float64"
    assert frame.loc[0, "district_code"] == "" and frame["published"].isna().all()
    empty = extractor.records_frame([])
    assert list(empty.columns) == list(extractor.COLUMNS) and str(empty["year"].dtype) == "Int64"


# --- re-runs cost what changed ------------------------------------------------------------------


def test_a_rerun_renders_only_changed_documents_as_a_full_build_would(tmp_path: Path, monkeypatch) -> None:
    inputs, store = _inputs(tmp_path / "in", count=30), tmp_path / "out"
    _run(inputs, store)
    (inputs / "news_004.txt").write_text(_article(4, 4444), encoding="utf-8")  # changed
    (inputs / "news_017.txt").write_text(_article(17, 1717), encoding="utf-8")
    (inputs / "news_100.txt").write_text(_article(100, 1000), encoding="utf-8")  # new
    assert main(["forget", str(inputs / "news_020.txt"), "--store", str(store)]) == 0  # gone
    (inputs / "news_020.txt").unlink()
    rendered: list[str] = []
    real = incremental.render

    def counting(conn: sqlite3.Connection, docs: list) -> object:
        rendered.extend(doc.key for doc in docs)
        return real(conn, docs)

    monkeypatch.setattr(incremental, "render", counting)
    summary = _run(inputs, store)
    assert len(rendered) == 3 and (summary.new, summary.changed) == (1, 2)
    incremental_bytes = _bytes(store)
    records = pd.read_csv(store / "records.csv")
    assert 4444.0 in records["value"].tolist() and "news_020" not in set(records["doc_id"])
    assert summary.records == len(records)
    # the same store built from nothing gives the same bytes
    os.unlink(store / "current")
    rendered.clear()
    _publish(store)
    assert len(rendered) == 30 and _bytes(store) == incremental_bytes


def test_a_source_renamed_in_the_store_is_rendered_again(tmp_path: Path) -> None:
    inputs, store = _inputs(tmp_path / "in", count=3), tmp_path / "out"
    _run(inputs, store)
    with sqlite3.connect(store / "derek.sqlite") as conn:  # as a store upgrade re-keys a file
        (old,) = conn.execute("SELECT source FROM sources WHERE source LIKE '%news_001.txt'").fetchone()
        conn.execute("UPDATE sources SET source = 'renamed/news_001.txt' WHERE source = ?", (old,))
        conn.execute(
            "UPDATE records SET data = json_set(data, '$.source', 'renamed/news_001.txt') "
            "WHERE json_extract(data, '$.source') = ?",
            (old,),
        )
    _publish(store)
    records = pd.read_csv(store / "records.csv", dtype=str)
    assert "renamed/news_001.txt" in set(records["source"]) and old not in set(records["source"])


def test_a_cache_from_another_store_is_not_used(tmp_path: Path) -> None:
    inputs, store = _inputs(tmp_path / "in", count=3), tmp_path / "out"
    _run(inputs, store)
    before = _bytes(store)["records.csv"]
    os.unlink(store / "derek.sqlite")  # a new store in the same folder, other articles
    other = _inputs(tmp_path / "other", count=2)
    (other / "news_000.txt").write_text(_article(0, 5555), encoding="utf-8")
    _run(other, store)
    after = pd.read_csv(store / "records.csv")
    assert _bytes(store)["records.csv"] != before and 5555.0 in after["value"].tolist()
    assert set(after["doc_id"]) == {"news_000", "news_001"}


def test_export_still_writes_each_format_from_the_store(tmp_path: Path) -> None:
    inputs, store = _inputs(tmp_path / "in", count=4), tmp_path / "out"
    (inputs / "risky.txt").write_text(
        f"{FORMULA_TITLE}\nВ 2023 году в Костанайской области адресную помощь получили 1 250 семей.\n",
        encoding="utf-8",
    )
    _run(inputs, store)
    dataset = pd.read_parquet(store / "records.parquet")
    for fmt in ("csv", "parquet", "jsonl"):
        target = tmp_path / f"export.{fmt}"
        assert main(["export", "--store", str(store), "--format", fmt, "-o", str(target)]) == 0
        readers = {"csv": pd.read_csv, "parquet": pd.read_parquet}
        exported = readers[fmt](target) if fmt in readers else pd.read_json(target, lines=True)
        assert len(exported) == len(dataset)
        titles = set(exported["title"])
        assert ("'" + FORMULA_TITLE in titles) == (fmt == "csv")
        assert (FORMULA_TITLE in titles) == (fmt != "csv")
    assert pq.read_schema(tmp_path / "export.parquet").field("published").type == pa.date32()
