"""`derek run`: incremental, parallel, restartable extraction into a store.

Only files whose content hash (or derek's configuration) changed are read again; the rest
are skipped by the store. Work goes to this process, a process pool, or a Dask cluster, and
comes back in input order, so every way of running writes the same store and outputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractor import __version__
from extractor.langdata import PATTERNS_DIR
from extractor.models import installed, models_dir
from extractor.output import publish_store
from extractor.progress import Progress
from extractor.reader import InputError, display_name, input_files, regular_stat
from extractor.runcontrol import (
    FILE_TIMEOUT_S,
    FailureLimit,
    Interrupted,
    StopSignals,
    StoreLock,
)
from extractor.store import SKIPPED_STATUSES, Store
from extractor.store.paths import adopt_legacy_name, matching_files, source_key
from extractor.tagging import make_tagger
from extractor.work import FileResult, file_digest
from extractor.workers import Work, file_results

BATCH_FILES, BATCH_S = 64, 1.0  # commit after this many files, or this long
RUN_OUTPUTS = ("records.csv", "records.parquet", "documents.csv", "documents.parquet")  # jsonl: export


@dataclass(frozen=True)
class RunOptions:
    inputs: Sequence[str]
    store: Path
    tagger: str | None = None
    models: str | None = None
    workers: int = 1
    dask: str | None = None
    progress: bool | None = None  # None: a bar on a terminal, plain lines otherwise
    wait: bool = False  # another run holds the store: wait for it (else StoreBusy)
    file_timeout: float = FILE_TIMEOUT_S  # seconds per file; 0: no limit


@dataclass
class RunSummary:
    files: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    failed_before: int = 0  # documents of unchanged files that failed in an earlier run
    skipped: int = 0  # files not read (unsupported type, too large): rows, but no failures
    records: int = 0
    seconds: float = 0.0
    tagger: str = ""

    @property
    def processed(self) -> int:
        return self.new + self.changed + self.unchanged + self.failed + self.failed_before + self.skipped

    def line(self) -> str:
        rate = (self.new + self.changed) / self.seconds if self.seconds else 0.0
        before = f" (and {self.failed_before} unchanged that failed before)" if self.failed_before else ""
        return (
            f"{self.files} files: {self.new} documents new, {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.failed} failed{before}, "
            f"{self.skipped} skipped (not read: see documents.csv); {self.records} records in the "
            f"dataset; {self.seconds:.1f} s, {rate:.1f} articles/s (tagger: {self.tagger})"
        )

    def problem(self, limit: FailureLimit | None = None) -> str:
        """Why this run should exit non-zero ("" when it should not): judged on every input
        document named, those read again and those unchanged since an earlier run."""
        failed, total = self.failed + self.failed_before, self.processed - self.skipped
        if total == 0:
            return "no input found (no .txt, .html or .jsonl document in the paths given)"
        if failed == total:
            return f"every input document failed ({failed}): see documents.csv"
        if limit is not None and limit.exceeded(failed, total):
            return f"{failed} of {total} input documents failed, more than --max-failed {limit}"
        return ""


@dataclass
class Forgotten:
    """What `derek forget` removed."""

    files: int = 0
    documents: int = 0
    unmatched: list[str] = field(default_factory=list)  # paths the store holds nothing under


def tree_hash(paths: Sequence[Path]) -> str:
    """Hash of the files' names and contents: a change to any of them shows."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def patterns_hash() -> str:
    return tree_hash([p for p in PATTERNS_DIR.rglob("*") if p.is_file()])


def models_hash(tagger: str, models: str | None) -> str:
    if tagger == "none":
        return "none"
    return tree_hash([info.path for info in installed(models_dir(models))])


def run(options: RunOptions, log: Callable[[str, dict], None] | None = None) -> RunSummary:
    """One run into the store, which it holds alone (StoreBusy if another run does, unless
    `wait`). SIGINT or SIGTERM stop it: workers end, the run is recorded as interrupted, what
    was committed stays, and Interrupted is raised with the counts so far."""
    with StopSignals() as stop:
        # fails here, before any work, if models are missing
        tagger = make_tagger(options.tagger, options.models)
        with StoreLock(options.store, options.wait, log):
            store = Store(options.store)
            try:
                return _run_locked(store, tagger.name, options, log, stop)
            finally:
                store.close()


def _run_locked(
    store: Store, tagger: str, options: RunOptions, log: Callable[[str, dict], None] | None, stop: StopSignals
) -> RunSummary:
    summary = RunSummary(tagger=tagger)
    hashes = (patterns_hash(), models_hash(tagger, options.models))
    config = hashlib.sha256("\x00".join((__version__, *hashes, tagger)).encode()).hexdigest()[:16]
    run_id = store.begin_run(__version__, *hashes, tagger)
    started = time.perf_counter()
    try:
        _extract_changed(store, options, config, run_id, summary, log)
        summary.records = publish_store(store, options.store, RUN_OUTPUTS)
        summary.seconds = time.perf_counter() - started
        store.end_run(run_id, vars(summary))
    except BaseException as exc:
        summary.seconds = time.perf_counter() - started
        with contextlib.suppress(sqlite3.Error):  # the store itself may be what failed
            store.end_run(run_id, vars(summary), "interrupted" if stop.signum else "failed")
        if stop.signum:  # whatever broke on the way out (a worker killed by the same signal)
            interrupted = exc if isinstance(exc, Interrupted) else Interrupted(stop.signum)
            interrupted.summary = summary
            raise interrupted from None
        raise
    return summary


def _extract_changed(
    store: Store,
    options: RunOptions,
    config: str,
    run_id: int,
    summary: RunSummary,
    log: Callable[[str, dict], None] | None,
) -> None:
    files = _input_files(store, options.inputs)
    summary.files = len(files)
    todo = _changed_files(store, files, config, summary)
    progress = Progress(len(files), options.progress, log)
    progress.advance(len(files) - len(todo), summary)
    work = Work(summary.tagger, options.models, options.file_timeout)
    results = file_results([str(p) for p in todo], work, options.workers, options.dask)
    try:
        for batch in _batches(results):
            applied = store.apply(batch, config, run_id)
            summary.new += applied.new
            summary.changed += applied.changed
            summary.unchanged += applied.unchanged
            summary.failed += applied.failed
            summary.skipped += applied.skipped
            _log_failures(batch, log)
            progress.advance(len(batch), summary)
    finally:
        results.close()  # a stop mid-way ends the workers now, not after their files
        progress.close()


def _input_files(store: Store, inputs: Sequence[str]) -> list[Path]:
    """The inputs' files by absolute path, each once (a file named twice, or reached through
    two spellings of a folder, is one source)."""
    files: dict[str, Path] = {}
    own = os.path.join(os.path.abspath(store.path.parent), "")  # a store inside an input folder
    known = store.stored_paths()
    for path in input_files(inputs):
        absolute = os.path.abspath(path)
        if absolute.startswith(own):
            continue  # is not input
        key = source_key(path)
        if key not in files:
            adopt_legacy_name(store, path, known)  # a store that knew it by the name it was given
            files[key] = Path(absolute)
    return list(files.values())


def forget(
    folder: Path, targets: Sequence[str], wait: bool = False, log: Callable[[str, dict], None] | None = None
) -> Forgotten:
    """Remove the stored files at or under `targets` (deleted or retracted sources), the
    documents only they held with their records, and rewrite the outputs."""
    with StopSignals(), StoreLock(folder, wait, log):
        store = Store(folder)
        try:
            found = {target: matching_files(store, target) for target in targets}
            paths = sorted({path for matched in found.values() for path in matched})
            gone = Forgotten(len(paths), 0, [target for target, matched in found.items() if not matched])
            if paths:
                gone.documents = store.forget_files(paths)
                publish_store(store, folder, RUN_OUTPUTS)
        finally:
            store.close()
    return gone


def _batches(results: Iterator[FileResult]) -> Iterator[list[FileResult]]:
    """Results grouped for one commit each: up to BATCH_FILES, or what came in BATCH_S."""
    batch: list[FileResult] = []
    since = time.monotonic()
    for result in results:
        batch.append(result)
        if len(batch) >= BATCH_FILES or time.monotonic() - since >= BATCH_S:
            yield batch
            batch, since = [], time.monotonic()
    if batch:
        yield batch


def _log_failures(batch: list[FileResult], log: Callable[[str, dict], None] | None) -> None:
    for doc in (d for result in batch for d in result.docs):
        if doc.status != "ok" and log is not None:
            event = "skipped" if doc.status in SKIPPED_STATUSES else "failed"
            log(event, {"source": doc.source, "status": doc.status, "reason": doc.error})


def _changed_files(store: Store, files: list[Path], config: str, summary: RunSummary) -> list[Path]:
    todo = []
    states = store.file_states()
    for path in files:
        state = states.get(display_name(path))
        try:
            info = regular_stat(path)  # a FIFO or /dev/zero is never hashed: the worker reports it
            # the same size and modification time: unchanged without reading it (as git and make do)
            same = state is not None and state.same_stamp(info)
            sha256 = state.sha256 if same and state is not None else file_digest(path)[0]
        except (OSError, InputError):
            todo.append(path)  # the worker reports why
            continue
        if state is not None and (state.sha256, state.config) == (sha256, config):
            summary.unchanged += state.documents - state.failed - state.skipped
            summary.failed_before += state.failed
            summary.skipped += state.skipped
        else:
            todo.append(path)
    return todo
