"""`derek run` keeps the night in hand: exit codes, one run per store, a clean stop on Ctrl-C
or SIGTERM, a full disk, a time limit per file, paths named two ways, and `derek forget`."""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import extractor.nightly as nightly
import extractor.work as work
import extractor.workers as workers
from extractor.cli import main
from extractor.nightly import RunOptions, RunSummary, run
from extractor.runcontrol import (
    LOCK_NAME,
    FailureLimit,
    FileTimeout,
    Interrupted,
    StoreBusy,
    StoreLock,
    time_limit,
)
from extractor.store import SCHEMA_VERSION, Store
from extractor.work import process_file

from .conftest import CORPUS, stored_files

OUTPUTS = ("records.csv", "records.parquet", "documents.csv")
DEREK = Path(sys.executable).with_name("derek")
COMMAND = [str(DEREK)] if DEREK.exists() else [sys.executable, "-m", "extractor.cli"]


def _inputs(folder: Path, copies: int = 1, limit: int | None = None) -> Path:
    """corpus/ articles, each copy made distinct by a closing line of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        for path in sorted(CORPUS.glob("*.txt"))[:limit]:
            text = path.read_text(encoding="utf-8", errors="replace")
            (folder / f"{path.stem}_{n:03d}.txt").write_text(f"{text}\n\nЖелі {n}.\n", encoding="utf-8")
    return folder


def _run(inputs: Path | str, store: Path, **options: object) -> RunSummary:
    options.setdefault("tagger", "none")
    return run(RunOptions(inputs=[str(inputs)], store=store, progress=False, **options))


def _cli(inputs: Path | str, store: Path, *extra: str) -> int:
    return main(["run", str(inputs), "--store", str(store), "--workers", "1", "--no-progress", *extra])


def _bytes(store: Path) -> dict[str, bytes]:
    return {name: (store / name).read_bytes() for name in OUTPUTS}


def _documents(store: Path) -> pd.DataFrame:
    return pd.read_csv(store / "documents.csv", keep_default_na=False, dtype={"doc_id": str})


def _sql(store: Path, query: str) -> list[tuple]:
    with sqlite3.connect(store / "derek.sqlite", timeout=5) as conn:
        return conn.execute(query).fetchall()


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not collected it


def _end(pids: list[int]) -> None:
    """Kill what a failed test left running."""
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


# --- exit codes -------------------------------------------------------------------------------


def test_a_completed_run_exits_0_and_records_its_status(tmp_path: Path) -> None:
    assert _cli(_inputs(tmp_path / "in", limit=3), tmp_path / "out") == 0
    assert _sql(tmp_path / "out", "SELECT status FROM runs") == [("completed",)]


def test_no_input_exits_1(tmp_path: Path, capsys) -> None:
    (tmp_path / "in" / "2026-11-21").mkdir(parents=True)  # the night's folder came empty
    assert _cli(tmp_path / "in", tmp_path / "out") == 1
    assert "no input found" in capsys.readouterr().err


def test_a_folder_where_every_file_fails_exits_1_each_time(tmp_path: Path, capsys) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 40)
    assert _cli(inputs, tmp_path / "out") == 1
    assert "every input document failed (2)" in capsys.readouterr().err
    # the next run skips them as unchanged; they still failed, and the run still says so
    assert _cli(inputs, tmp_path / "out") == 1
    assert "2 unchanged that failed before" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("limit", "code"), [(None, 0), ("0", 1), ("1", 0), ("10%", 1), ("25%", 0), ("30%", 0)]
)
def test_max_failed_sets_the_exit_code(tmp_path: Path, capsys, limit: str | None, code: int) -> None:
    inputs = _inputs(tmp_path / "in", limit=3)
    (inputs / "empty.txt").write_bytes(b"")  # 1 failed of 4 documents: 25%
    extra = ["--max-failed", limit] if limit else []
    assert _cli(inputs, tmp_path / "out", *extra) == code
    if code:
        assert "1 of 4 input documents failed, more than --max-failed" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra",
    [
        ["--workers", "0"],
        ["--workers", "-2"],
        ["--max-failed", "many"],
        ["--max-failed", "150%"],
        ["--max-failed", "2.5"],
        ["--file-timeout", "-1"],
        ["--file-timeout", "nan"],
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, extra: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["run", str(CORPUS), "--store", str(tmp_path / "out"), *extra])
    assert stopped.value.code == 2
    assert not (tmp_path / "out").exists()


def test_failure_limits_parse_counts_and_shares() -> None:
    assert FailureLimit.parse("5") == FailureLimit(5, False)
    assert FailureLimit.parse("12.5%") == FailureLimit(12.5, True)
    assert FailureLimit.parse("5").exceeded(6, 100) and not FailureLimit.parse("5").exceeded(5, 100)
    assert FailureLimit.parse("10%").exceeded(11, 100) and not FailureLimit.parse("10%").exceeded(10, 100)
    assert RunSummary(files=2, new=1, failed=1).problem(FailureLimit.parse("50%")) == ""
    assert "no input" in RunSummary().problem()


# --- one run per store --------------------------------------------------------------------------


def test_a_second_run_on_a_held_store_is_refused_with_code_4(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    with StoreLock(out):
        assert _cli(_inputs(tmp_path / "in", limit=2), out) == 4
        assert f"another derek run (process {os.getpid()}" in capsys.readouterr().err
        with pytest.raises(StoreBusy):
            _run(tmp_path / "in", out)
    assert not (out / "derek.sqlite").exists()  # refused before the store was touched
    assert _cli(tmp_path / "in", out) == 0  # released with its holder


def test_wait_waits_for_the_run_that_holds_the_store(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inputs = _inputs(tmp_path / "in", limit=2)
    lock = StoreLock(out).__enter__()
    events: list[str] = []
    threading.Timer(1.0, lock.__exit__, (None, None, None)).start()
    started = time.monotonic()
    summary = run(
        RunOptions([str(inputs)], out, tagger="none", progress=False, wait=True),
        lambda event, data: events.append(event),
    )
    assert time.monotonic() - started >= 0.9 and summary.new == 2
    assert events[0] == "waiting"


def test_the_real_command_refuses_or_waits(tmp_path: Path) -> None:
    out, inputs = tmp_path / "out", _inputs(tmp_path / "in", limit=2)
    command = [*COMMAND, "run", str(inputs), "--store", str(out), "--workers", "1"]
    with StoreLock(out):
        refused = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 4 and "use --wait" in refused.stderr
        waiting = subprocess.Popen([*command, "--wait", "--log-json"], stderr=subprocess.PIPE, text=True)
        first = json.loads(waiting.stderr.readline())  # blocks until the run says it waits
        assert first["event"] == "waiting" and str(os.getpid()) in first["holder"]
        assert waiting.poll() is None
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0 and json.loads(err.splitlines()[-1])["new"] == 2


def test_two_runs_started_together_on_a_new_store_both_complete(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", limit=6)
    out = tmp_path / "out"
    command = [*COMMAND, "run", str(inputs), "--store", str(out), "--workers", "1", "--wait"]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [child.communicate(timeout=180)[1] for child in runs]
    assert [child.returncode for child in runs] == [0, 0], errors
    assert not any("Traceback" in err for err in errors)
    _run(inputs, tmp_path / "clean")
    assert _bytes(out)["records.csv"] == _bytes(tmp_path / "clean")["records.csv"]
    lines = [_bytes(store)["documents.csv"].count(b"\n") for store in (out, tmp_path / "clean")]
    assert lines[0] == lines[1]


def _open_store(folder: str, barrier, errors) -> None:
    barrier.wait()
    try:
        Store(Path(folder)).close()
    except Exception as exc:  # reported to the test
        errors.put(repr(exc))


@pytest.mark.parametrize("trial", range(3))
def test_stores_opened_at_once_are_migrated_once(tmp_path: Path, trial: int) -> None:
    context = multiprocessing.get_context("fork")
    barrier, errors = context.Barrier(6), context.Queue()
    processes = [context.Process(target=_open_store, args=(str(tmp_path), barrier, errors)) for _ in range(6)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert errors.empty(), errors.get()  # neither `table files already exists` nor `database is locked`
    assert _sql(tmp_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


# --- Ctrl-C, SIGTERM, kill -9 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("signum", "to_group", "workers"), [(signal.SIGINT, True, 1), (signal.SIGTERM, False, 2)]
)
def test_a_signal_stops_the_run_cleanly(tmp_path: Path, signum: int, to_group: bool, workers: int) -> None:
    """SIGINT to the process group (a terminal's Ctrl-C) or SIGTERM to the run alone."""
    inputs, out = _inputs(tmp_path / "in", copies=20), tmp_path / "out"
    _run(_inputs(tmp_path / "small", limit=2), out)
    previous = _bytes(out)
    command = [*COMMAND, "run", str(inputs), "--store", str(out), "--workers", str(workers), "--log-json"]
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    pool = workers if workers > 1 else 0
    assert _wait_for(lambda: stored_files(out) >= 5 and len(_children(child.pid)) >= pool)
    workers_seen = _children(child.pid)
    os.killpg(child.pid, signum) if to_group else os.kill(child.pid, signum)
    try:
        _, err = child.communicate(timeout=60)
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers_seen), 10), "a worker lived on"
    finally:
        _end([child.pid, *workers_seen])
    assert child.returncode == 130 and "Traceback" not in err
    event = json.loads(err.splitlines()[-1])
    assert event["event"] == "interrupted" and event["signal"] == signal.Signals(signum).name
    assert _sql(out, "SELECT status FROM runs ORDER BY run_id") == [("completed",), ("interrupted",)]
    assert _bytes(out) == previous  # the outputs are rewritten only by a run that completes
    committed = stored_files(out) - 2
    again = _run(inputs, out)
    assert committed > 0 and again.unchanged == committed
    assert again.new == len(list(inputs.iterdir())) - committed


def test_the_run_stops_in_process_and_keeps_what_was_committed(tmp_path: Path, monkeypatch) -> None:
    inputs = _inputs(tmp_path / "in", limit=6)
    real = work.extract_article
    seen: list[str] = []

    def extract(article, tagger):
        seen.append(article.doc_id)
        if len(seen) == 4:
            os.kill(os.getpid(), signal.SIGTERM)
        return real(article, tagger)

    monkeypatch.setattr(work, "extract_article", extract)
    monkeypatch.setattr(nightly, "BATCH_FILES", 1)  # a commit per file
    with pytest.raises(Interrupted) as stopped:
        _run(inputs, tmp_path / "out")
    assert stopped.value.summary.new == 3 and str(stopped.value) == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the handlers are given back
    assert stored_files(tmp_path / "out") == 3
    assert _sql(tmp_path / "out", "SELECT status FROM runs") == [("interrupted",)]
    monkeypatch.setattr(work, "extract_article", real)
    again = _run(inputs, tmp_path / "out")
    assert (again.unchanged, again.new) == (3, 3)


def test_workers_end_when_the_run_is_killed(tmp_path: Path) -> None:
    inputs, out = _inputs(tmp_path / "in", copies=4), tmp_path / "out"
    command = [*COMMAND, "run", str(inputs), "--store", str(out), "--workers", "3", "--no-progress"]
    child = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    assert _wait_for(lambda: len(_children(child.pid)) >= 3)
    workers = _children(child.pid)
    child.kill()  # SIGKILL: nothing of the run's own cleanup happens
    child.wait()
    try:
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 10), "a worker outlived its run"
    finally:
        _end(workers)
    # the lock went with the process: the next run starts at once, and sees the killed one
    assert _run(_inputs(tmp_path / "small", limit=1), out).new == 1
    assert _sql(out, "SELECT status FROM runs ORDER BY run_id") == [("killed",), ("completed",)]


# --- a full disk --------------------------------------------------------------------------------


def test_a_full_store_is_the_real_error_not_a_failed_rollback(tmp_path: Path) -> None:
    results = [process_file(str(path)) for path in sorted(CORPUS.glob("*.txt"))[:4]]
    store = Store(tmp_path)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        store.apply(results, "config", 1)
    assert not store.conn.in_transaction
    assert store.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0
    store.close()


def test_a_full_store_gives_a_clear_message_and_keeps_the_outputs(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    out = tmp_path / "out"
    _run(_inputs(tmp_path / "small", limit=2), out)
    previous = _bytes(out)
    opened = Store.__init__

    def full(self: Store, folder: Path) -> None:
        opened(self, folder)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from now on

    monkeypatch.setattr(Store, "__init__", full)
    assert _cli(_inputs(tmp_path / "in", limit=6), out) == 5
    err = capsys.readouterr().err
    assert "database or disk is full" in err and "cannot rollback" not in err
    assert _bytes(out) == previous
    assert _sql(out, "SELECT status FROM runs ORDER BY run_id")[-1] == ("failed",)


def test_outputs_on_a_full_disk_give_a_clear_message(tmp_path: Path, monkeypatch, capsys) -> None:
    out = tmp_path / "out"
    _run(_inputs(tmp_path / "small", limit=2), out)
    previous = _bytes(out)

    def write_to_full_disk(*args: object, **kwargs: object) -> None:
        with open("/dev/full", "wb") as handle:  # the kernel's own "No space left on device"
            handle.write(b"records")

    monkeypatch.setattr(nightly, "publish_store", write_to_full_disk)
    assert _cli(_inputs(tmp_path / "in", limit=3), out, "--log-json") == 5
    event = json.loads(capsys.readouterr().err.splitlines()[-1])
    assert event["event"] == "error" and "No space left on device" in event["message"]
    assert _bytes(out) == previous
    monkeypatch.undo()
    assert _run(tmp_path / "in", out).unchanged == 3  # what was committed stays


# --- a time limit per file --------------------------------------------------------------------


def _slow_on(doc_id: str, pids: Path | None = None):
    real = work.extract_article

    def extract(article, tagger):
        if article.doc_id == doc_id:
            if pids is not None:
                pids.write_text(str(os.getpid()))
            time.sleep(60)
        return real(article, tagger)

    return extract


def test_a_file_over_its_time_limit_gets_a_timeout_row(tmp_path: Path, monkeypatch, capsys) -> None:
    inputs = _inputs(tmp_path / "in", limit=3)
    slow = sorted(inputs.iterdir())[1].stem
    monkeypatch.setattr(work, "extract_article", _slow_on(slow))
    started = time.monotonic()
    assert _cli(inputs, tmp_path / "out", "--file-timeout", "0.5") == 0
    assert time.monotonic() - started < 30
    documents = _documents(tmp_path / "out").set_index("doc_id")
    assert documents.loc[slow, "status"] == "timeout"
    assert "took longer than 0.5 s" in documents.loc[slow, "error"]
    assert (documents.drop(index=slow)["status"] == "ok").all()
    monkeypatch.undo()
    again = _run(inputs, tmp_path / "out")  # tried again, and now it is read
    assert (again.changed, again.unchanged) == (1, 2)
    assert set(_documents(tmp_path / "out")["status"]) == {"ok"}


def test_loading_is_done_before_the_first_files_time_limit_starts(tmp_path: Path) -> None:
    """In a fresh process the patterns of every language, the places and trafilatura load
    before any file is read, under a limit far shorter than loading them (about a second) and
    far longer than reading a file: a page and an article of each language get their rows."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("kk_atyrau_aleumettik.html", "ru_kz_gsp_overview.txt", "kk_abai_granttar.txt"):
        shutil.copy(CORPUS / name, inputs / name)
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from extractor import workers\n"
        "from extractor.nightly import RunOptions, run\n"
        "assert 'trafilatura' not in sys.modules\n"
        "loading = workers.warm_up\n"
        "def timed():\n"
        "    started = time.monotonic(); loading(); print('loaded', time.monotonic() - started)\n"
        "workers.warm_up = timed\n"
        "options = RunOptions([sys.argv[1]], Path(sys.argv[2]), 'none', progress=False, file_timeout=0.1)\n"
        "summary = run(options)\n"
        "print('read', summary.new, summary.failed)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(inputs), str(tmp_path / "out")],
        capture_output=True, text=True, check=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    ).stdout.splitlines()  # fmt: skip
    assert out[0].startswith("loaded ") and float(out[0].split()[1]) > 0.1, out  # before the files
    assert out[-1] == "read 3 0", out  # every file read whole: none timed out
    assert set(_documents(tmp_path / "out")["status"]) == {"ok"}


def test_a_time_limit_in_a_thread_stops_the_file_between_stages(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    big = tmp_path / "big.txt"  # a few seconds of work, stopped after the first stage
    paragraph = (CORPUS / "ru_kz_gsp_overview.txt").read_text(encoding="utf-8")
    big.write_text("\n\n".join([paragraph] * 300), encoding="utf-8")
    work.process_file_within(str(CORPUS / "ru_kz_gsp_overview.txt"))  # patterns loaded first
    started = time.monotonic()
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(work.process_file_within, str(big), "none", None, 0.05).result()
    assert time.monotonic() - started < 2
    assert [doc.status for doc in result.docs] == ["timeout"]
    with ThreadPoolExecutor(1) as pool:  # no limit: the same file is read whole
        result = pool.submit(work.process_file_within, str(CORPUS / "ru_kz_gsp_overview.txt")).result()
    assert [doc.status for doc in result.docs] == ["ok"]


def test_a_time_limit_stops_its_block_and_leaves_an_outer_alarm_running() -> None:
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with pytest.raises(FileTimeout), time_limit(0.2):
            time.sleep(5)
        with time_limit(5):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    assert 25 < remaining <= 30


def test_the_time_limit_holds_in_pool_workers(tmp_path: Path, monkeypatch) -> None:
    inputs = _inputs(tmp_path / "in", limit=4)
    slow = sorted(inputs.iterdir())[2].stem
    pids = tmp_path / "pid"
    monkeypatch.setattr(work, "extract_article", _slow_on(slow, pids))
    monkeypatch.setattr(workers, "MIN_FILES_PER_WORKER", 1)
    summary = _run(inputs, tmp_path / "out", workers=2, file_timeout=0.5)
    assert int(pids.read_text()) != os.getpid()  # it ran in a worker
    assert summary.failed == 1 and summary.new == 3
    assert _documents(tmp_path / "out").set_index("doc_id").loc[slow, "status"] == "timeout"


def _dies_on(stem: str):
    real = work.extract_article

    def extract(article, tagger=None):
        if article.doc_id == stem:
            os._exit(137)  # as the kernel's OOM killer ends a process: no cleanup, no result
        return real(article, tagger)

    return extract


def test_a_dying_pool_worker_costs_its_file_only(tmp_path: Path, monkeypatch) -> None:
    inputs = _inputs(tmp_path / "in", copies=2)  # over 32 files: the pool's tasks hold two files each
    files = len(list(inputs.iterdir()))
    doomed = sorted(inputs.iterdir())[5].stem
    monkeypatch.setattr(work, "extract_article", _dies_on(doomed))
    monkeypatch.setattr(workers, "MIN_FILES_PER_WORKER", 1)
    summary = _run(inputs, tmp_path / "out", workers=2)
    assert files >= 32 and (summary.new, summary.failed) == (files - 1, 1)
    documents = _documents(tmp_path / "out").set_index("doc_id")
    assert documents.loc[doomed, "status"] == "error"
    assert "worker reading it died" in documents.loc[doomed, "error"]
    assert (documents.drop(index=doomed)["status"] == "ok").all()
    monkeypatch.undo()
    again = _run(inputs, tmp_path / "out")  # tried again, and now it is read
    assert (again.changed, again.unchanged) == (1, files - 1)
    assert set(_documents(tmp_path / "out")["status"]) == {"ok"}


# --- paths --------------------------------------------------------------------------------------


def test_a_folder_named_two_ways_is_one_set_of_sources(tmp_path: Path, monkeypatch) -> None:
    _inputs(tmp_path / "big", limit=4)
    monkeypatch.chdir(tmp_path)
    first = _run("big", tmp_path / "out")
    before = _bytes(tmp_path / "out")
    for spelling in (str(tmp_path / "big"), "big/../big/", "./big"):
        again = _run(spelling, tmp_path / "out")
        assert (again.new, again.changed, again.unchanged) == (0, 0, first.new)
    assert _bytes(tmp_path / "out") == before
    sources = _documents(tmp_path / "out")["source"]
    assert len(sources) == 4 and all(s.startswith(f"{tmp_path}/big/") for s in sources)


def test_a_file_named_twice_in_one_run_is_one_source(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", limit=2)
    one = sorted(inputs.iterdir())[0]
    options = RunOptions([str(inputs), str(one)], tmp_path / "out", tagger="none", progress=False)
    assert run(options).files == 2
    assert len(_documents(tmp_path / "out")) == 2


def _as_an_older_store_named_them(store: Path, root: str) -> None:
    """Stores before absolute keys held each file under the name it was given (here relative)."""
    cut = len(root) + 2
    with sqlite3.connect(store / "derek.sqlite") as conn:
        conn.execute(f"UPDATE files SET path = substr(path, {cut})")
        conn.execute(f"UPDATE sources SET path = substr(path, {cut}), source = substr(source, {cut})")
        source = f"substr(json_extract(data, '$.source'), {cut})"
        conn.execute(f"UPDATE records SET data = json_set(data, '$.source', {source})")


@pytest.mark.parametrize("absolute", [False, True])
def test_an_older_store_keyed_by_relative_names_is_taken_over(
    tmp_path: Path, monkeypatch, absolute: bool
) -> None:
    _inputs(tmp_path / "big", limit=3)
    (tmp_path / "big" / "feed.jsonl").write_text(
        json.dumps({"id": "f1", "text": (CORPUS / "ru_sko_poverty.txt").read_text(encoding="utf-8")}) + "\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    first = _run("big", tmp_path / "out")
    expected = _bytes(tmp_path / "out")
    _as_an_older_store_named_them(tmp_path / "out", str(tmp_path))
    assert _sql(tmp_path / "out", "SELECT MIN(path) FROM files") == [("big/feed.jsonl",)]
    again = _run(str(tmp_path / "big") if absolute else "big", tmp_path / "out")
    assert (again.new, again.changed, again.unchanged) == (0, 0, first.new)
    assert _bytes(tmp_path / "out") == expected  # sources and records name the files absolutely again


def test_forget_removes_deleted_sources_and_their_records(tmp_path: Path, capsys) -> None:
    inputs, out = _inputs(tmp_path / "in", limit=3), tmp_path / "out"
    first, gone = sorted(inputs.iterdir())[:2]
    shutil.copy(first, inputs / "zz_copy.txt")  # one article under two names
    assert _cli(inputs, out) == 0
    gone.unlink()
    assert main(["forget", str(gone), "--store", str(out)]) == 0
    assert "forgot 1 files, 1 documents" in capsys.readouterr().out
    documents = _documents(out)
    records = pd.read_csv(out / "records.csv", dtype={"doc_id": str})
    assert gone.stem not in set(documents["doc_id"]) and gone.stem not in set(records["doc_id"])
    assert main(["forget", str(inputs / "zz_copy.txt"), "--store", str(out)]) == 0  # the other name keeps it
    assert len(_documents(out)) == 2 and len(pd.read_csv(out / "records.csv")) == len(records)
    assert main(["forget", str(inputs / "nothing.txt"), "--store", str(out)]) == 1
    assert "nothing stored at or under" in capsys.readouterr().err
    assert main(["forget", str(inputs), "--store", str(out)]) == 0
    assert len(_documents(out)) == 0 and len(pd.read_csv(out / "records.csv")) == 0
    assert main(["forget", "x", "--store", str(tmp_path / "none")]) == 2


def test_forget_takes_an_older_stores_relative_names_and_waits_its_turn(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    _inputs(tmp_path / "big", limit=2)
    monkeypatch.chdir(tmp_path)
    _run("big", tmp_path / "out")
    _as_an_older_store_named_them(tmp_path / "out", str(tmp_path))
    with StoreLock(tmp_path / "out"):
        assert main(["forget", "big", "--store", "out"]) == 4
    assert main(["forget", "big/", "--store", "out"]) == 0
    assert "forgot 2 files" in capsys.readouterr().out
    assert _sql(tmp_path / "out", "SELECT COUNT(*) FROM sources") == [(0,)]
    assert (tmp_path / "out" / LOCK_NAME).exists()


def test_the_lock_file_is_held_only_while_a_run_is(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(_inputs(tmp_path / "in", limit=1), out)
    fd = os.open(out / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: it would raise if still held
    finally:
        os.close(fd)


def test_files_that_are_not_articles_are_rows_but_no_failures(tmp_path: Path, capsys) -> None:
    inputs = _inputs(tmp_path / "in", limit=1)
    (inputs / "scan.pdf").write_bytes(b"%PDF-1.4")
    (inputs / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert _cli(inputs, tmp_path / "out", "--max-failed", "0") == 0
    assert "0 failed, 2 skipped (not read" in capsys.readouterr().out
    only = tmp_path / "only"
    only.mkdir()
    (only / "scan.pdf").write_bytes(b"%PDF-1.4")
    assert _cli(only, tmp_path / "out2") == 1  # nothing to read is no completed run
