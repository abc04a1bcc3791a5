"""`derek run`: incremental, restartable, identical however it is run."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from extractor import extract_files, nightly
from extractor.cli import main
from extractor.nightly import RunOptions, run
from extractor.store import MIGRATIONS, SCHEMA_VERSION, Store

from .conftest import CORPUS, ROOT, stored_files

OUTPUTS = ("records.csv", "records.parquet", "documents.csv")


def _inputs(folder: Path, copies: int = 1) -> Path:
    """corpus/ articles, each copy made distinct by a closing line of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        for path in sorted(CORPUS.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            (folder / f"{path.stem}_{n:03d}.txt").write_text(f"{text}\n\nЖелі {n}.\n", encoding="utf-8")
    return folder


def _run(inputs: Path, store: Path, **options: object) -> object:
    return run(RunOptions(inputs=[str(inputs)], store=store, tagger="none", progress=False, **options))


def _bytes(store: Path) -> dict[str, bytes]:
    return {name: (store / name).read_bytes() for name in OUTPUTS}


def test_a_second_run_changes_nothing_and_writes_the_same_bytes(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    first = _run(inputs, tmp_path / "out")
    before = _bytes(tmp_path / "out")
    again = _run(inputs, tmp_path / "out")
    assert first.new == len(list(inputs.iterdir())) and first.records > 100
    assert (again.new, again.changed, again.failed, again.unchanged) == (0, 0, 0, first.new)
    assert _bytes(tmp_path / "out") == before


def test_the_store_holds_what_extract_finds(tmp_path: Path) -> None:
    _run(CORPUS, tmp_path / "out")
    found = extract_files(CORPUS, tagger="none")
    manifest = found.attrs.pop("manifest")
    found.to_csv(tmp_path / "direct.csv", index=False)
    key = ["doc_id", "char_start", "record_id"]
    stored, direct = (
        pd.read_csv(path, dtype=str, keep_default_na=False).sort_values(key).reset_index(drop=True)
        for path in (tmp_path / "out" / "records.csv", tmp_path / "direct.csv")
    )
    pd.testing.assert_frame_equal(stored, direct)
    documents = pd.read_csv(tmp_path / "out" / "documents.csv")
    assert len(documents) == len(manifest)  # one row per input document


def test_a_changed_article_replaces_its_records(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    _run(inputs, tmp_path / "out")
    target = next(inputs.glob("ru_kostanay_asp_*.txt"))
    target.write_text("Title\nВ Костанайской области в 2024 году АСП получили 777 семей.\n", encoding="utf-8")
    summary = _run(inputs, tmp_path / "out")
    assert (summary.new, summary.changed) == (0, 1)
    records = pd.read_csv(tmp_path / "out" / "records.csv")
    mine = records[records["doc_id"] == target.stem]
    assert mine["value"].tolist() == [777.0]


def test_the_same_article_under_two_names_is_one_record_set(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(CORPUS / "ru_zko_employment.txt", inputs / "a.txt")
    shutil.copy(CORPUS / "ru_zko_employment.txt", inputs / "b.txt")
    _run(inputs, tmp_path / "out")
    records = pd.read_csv(tmp_path / "out" / "records.csv")
    documents = pd.read_csv(tmp_path / "out" / "documents.csv")
    assert set(records["doc_id"]) == {"a"} and records["record_id"].is_unique
    assert sorted(documents["source"].map(lambda s: Path(s).name)) == ["a.txt", "b.txt"]
    assert set(documents["doc_id"]) == {"a"}


def test_bad_inputs_each_get_a_row_and_the_run_goes_on(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    article = (CORPUS / "ru_sko_poverty.txt").read_text(encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (inputs / "cp1251.txt").write_bytes(article.encode("cp1251"))
    other = (CORPUS / "ru_zko_employment.txt").read_text(encoding="utf-8")
    (inputs / "utf16.txt").write_bytes(other.encode("utf-16"))
    with (inputs / "huge.txt").open("w", encoding="utf-8") as handle:
        line = "Сельское хозяйство области выросло на 3 процента. " * 20 + "\n"
        while handle.tell() < 50_000_000:
            handle.write(line)
    menu = (
        "<html><script>var x = 1;</script><nav><a href='/'>Главная</a> <a href='/n'>Новости</a></nav></html>"
    )
    (inputs / "menu.html").write_text(menu, encoding="utf-8")
    good = json.dumps({"id": "good", "text": article}, ensure_ascii=False)
    (inputs / "feed.jsonl").write_text(f"{good}\n{{not json\n", encoding="utf-8")
    summary = _run(inputs, tmp_path / "out")
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False).set_index("doc_id")
    assert documents.loc["empty", "status"] == "empty"
    assert "binary" in documents.loc["binary", "error"]
    assert documents.loc["cp1251", "status"] == documents.loc["utf16", "status"] == "ok"
    assert documents.loc["cp1251", "records"] > 0 and documents.loc["utf16", "records"] > 0
    assert documents.loc["huge", "status"] == "skipped" and "too large" in documents.loc["huge", "error"]
    assert documents.loc["menu", "status"] == "empty"
    assert documents.loc["good", "status"] == "ok"
    assert "malformed JSON" in documents.loc["feed:2", "error"]
    assert len(documents) == 8 and summary.failed == 4 and summary.skipped == 1  # the huge one


def test_a_file_removed_mid_run_is_reported_and_keeps_its_old_records(tmp_path: Path, monkeypatch) -> None:
    inputs = _inputs(tmp_path / "in")
    _run(inputs, tmp_path / "out")
    target = next(inputs.glob("kk_*.txt"))
    kept = pd.read_csv(tmp_path / "out" / "records.csv")
    kept = kept[kept["doc_id"] == target.stem]
    target.write_text(target.read_text(encoding="utf-8") + "\nЖаңа жол.\n", encoding="utf-8")

    import extractor.nightly as nightly

    listed = nightly.input_files

    def list_then_remove(paths: list[str]) -> list[Path]:
        found = listed(paths)
        target.unlink()  # after the listing, before the reading
        return found

    monkeypatch.setattr(nightly, "input_files", list_then_remove)
    summary = _run(inputs, tmp_path / "out")
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False)
    row = documents[documents["error"].str.contains("cannot read file")]
    assert len(row) == 1 and summary.failed == 1
    records = pd.read_csv(tmp_path / "out" / "records.csv")
    assert len(records[records["doc_id"] == target.stem]) == len(kept) > 0


def test_workers_give_the_same_outputs_as_one_process(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", copies=3)  # enough files for a pool of two
    _run(inputs, tmp_path / "one")
    _run(inputs, tmp_path / "two", workers=2)
    assert _bytes(tmp_path / "one")["records.csv"] == _bytes(tmp_path / "two")["records.csv"]


def test_a_dask_cluster_gives_the_same_outputs(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    inputs = _inputs(tmp_path / "in")
    _run(inputs, tmp_path / "one")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        _run(inputs, tmp_path / "dask", dask=cluster.scheduler_address)
    assert _bytes(tmp_path / "one")["records.csv"] == _bytes(tmp_path / "dask")["records.csv"]


def test_the_file_time_limit_holds_on_a_dask_cluster(tmp_path: Path) -> None:
    # Dask runs tasks in threads, out of SIGALRM's reach: the limit is checked between stages
    distributed = pytest.importorskip("dask.distributed")
    inputs = _inputs(tmp_path / "in")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        summary = _run(inputs, tmp_path / "dask", dask=cluster.scheduler_address, file_timeout=1e-9)
    documents = pd.read_csv(tmp_path / "dask" / "documents.csv")
    assert summary.failed == len(documents) == len(list(inputs.iterdir()))
    assert set(documents["status"]) == {"timeout"}


def test_a_run_killed_mid_way_leaves_old_outputs_and_the_next_run_completes(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", copies=30)
    out = tmp_path / "out"
    small = _inputs(tmp_path / "small")
    _run(small, out)
    previous = _bytes(out)
    command = [sys.executable, "-m", "extractor.cli", "run", str(inputs), "--store", str(out)]
    child = subprocess.Popen([*command, "--tagger", "none", "--workers", "1"], cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and stored_files(out) < 20:
        time.sleep(0.05)
    child.kill()  # SIGKILL: no cleanup runs
    child.wait()
    assert _bytes(out) == previous
    _run(inputs, out)
    clean = tmp_path / "clean"
    _run(small, clean)
    _run(inputs, clean)
    assert _bytes(out)["records.csv"] == _bytes(clean)["records.csv"]


def test_an_old_store_is_migrated(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    conn = sqlite3.connect(tmp_path / "derek.sqlite")
    version, statements = MIGRATIONS[0]
    conn.executescript(f"{statements}; PRAGMA user_version = {version};")
    columns = "started, version, patterns_hash, models_hash, tagger"
    conn.execute(f"INSERT INTO runs ({columns}) VALUES ('t', 'v', 'p', 'm', 'none')")
    conn.commit()
    conn.close()
    store = Store(tmp_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
    columns = "record_id, doc_key, verdict, editor, at"
    store.conn.execute(f"INSERT INTO decisions ({columns}) VALUES ('r', 'd', 'right', 'e', 't')")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(f"INSERT INTO decisions ({columns}) VALUES ('r', 'd', 'maybe', 'e', 't')")
    store.close()


def test_runs_are_recorded(tmp_path: Path) -> None:
    _run(_inputs(tmp_path / "in"), tmp_path / "out")
    with sqlite3.connect(tmp_path / "out" / "derek.sqlite") as conn:
        row = conn.execute("SELECT ended, version, patterns_hash, tagger, new, records FROM runs").fetchone()
    assert row[0] and row[1] and len(row[2]) == 16 and row[3] == "none" and row[4] > 0 and row[5] > 100


def test_cli_run_logs_json_and_export_writes_each_format(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert (
        main(["run", str(CORPUS), "--store", str(out), "--tagger", "none", "--log-json", "--workers", "1"])
        == 0
    )
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    documents = pd.read_csv(out / "documents.csv")
    read = documents[documents["status"] != "skipped"]  # corpus/expected and README are told apart
    assert lines[-1]["event"] == "summary" and lines[-1]["new"] == read["doc_id"].nunique() >= 13
    assert any(line["event"] == "progress" for line in lines)
    expected = pd.read_csv(out / "records.csv")
    for fmt, read in (("csv", pd.read_csv), ("parquet", pd.read_parquet)):
        target = tmp_path / f"export.{fmt}"
        assert main(["export", "--store", str(out), "--format", fmt, "-o", str(target)]) == 0
        assert len(read(target)) == len(expected)
    assert main(["export", "--store", str(out), "--format", "jsonl"]) == 0
    assert len((out / "records.jsonl").read_text(encoding="utf-8").splitlines()) == len(expected)
    assert main(["export", "--store", str(tmp_path / "none")]) == 2


def test_progress_shows_a_bar_when_asked_and_lines_otherwise(capsys) -> None:
    from extractor.nightly import RunSummary
    from extractor.progress import Progress, text_log

    bar = Progress(3, True, None)
    bar.advance(3, RunSummary())
    bar.close()
    assert "3/3" in capsys.readouterr().err
    lines = Progress(2, False, text_log())
    lines.advance(2, RunSummary(new=2))
    assert "progress: files=2/2 new=2" in capsys.readouterr().err


def test_a_rerun_reads_only_files_whose_stamp_changed(tmp_path: Path, monkeypatch) -> None:
    import os

    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(3):
        text = f"Заголовок\nВ 2024 году пособие получили {100 + n} семей.\n"
        (inputs / f"a{n}.txt").write_text(text, "utf-8")
    options = nightly.RunOptions(inputs=[str(inputs)], store=tmp_path / "out", tagger="none", progress=False)
    nightly.run(options)
    hashed: list[str] = []
    real_digest = nightly.file_digest

    def counting(path):
        hashed.append(Path(path).name)
        return real_digest(path)

    monkeypatch.setattr(nightly, "file_digest", counting)
    assert nightly.run(options).unchanged == 3 and hashed == []  # nothing read: the stamps hold
    touched = inputs / "a1.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    same_size = inputs / "a2.txt"
    same_size.write_text(same_size.read_text("utf-8").replace("102", "109"), "utf-8")
    summary = nightly.run(options)
    assert sorted(hashed) == ["a1.txt", "a2.txt"]  # a newer stamp is read and hashed again
    assert (summary.unchanged, summary.changed) == (2, 1)  # touched only: its content is the same
