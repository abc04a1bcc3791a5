"""`derek run`: incremental, parallel, restartable extraction into a store.

Only files whose content hash (or derek's configuration) changed are read again; the rest
are skipped by the store. Work goes to this process, a process pool, or a Dask cluster, and
comes back in input order, so every way of running writes the same store and outputs.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor import __version__
from extractor.langdata import PATTERNS_DIR, available_languages
from extractor.models import installed, models_dir
from extractor.output import write_outputs
from extractor.progress import Progress
from extractor.reader import InputError, display_name, input_files, regular_size
from extractor.store import Store
from extractor.tagging import make_tagger
from extractor.work import FileResult, file_digest, process_file

# Below this many changed files per worker, starting processes costs more than it saves.
MIN_FILES_PER_WORKER = 16
BATCH_FILES, BATCH_S = 64, 1.0  # commit after this many files, or this long
RUN_OUTPUTS = ("records.csv", "records.parquet", "documents.csv")  # jsonl: `derek export`


@dataclass(frozen=True)
class RunOptions:
    inputs: Sequence[str]
    store: Path
    tagger: str | None = None
    models: str | None = None
    workers: int = 1
    dask: str | None = None
    progress: bool | None = None  # None: a bar on a terminal, plain lines otherwise


@dataclass
class RunSummary:
    files: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    records: int = 0
    seconds: float = 0.0
    tagger: str = ""

    @property
    def processed(self) -> int:
        return self.new + self.changed + self.unchanged + self.failed

    def line(self) -> str:
        rate = (self.new + self.changed) / self.seconds if self.seconds else 0.0
        return (
            f"{self.files} files: {self.new} documents new, {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.failed} failed; {self.records} records in the dataset; "
            f"{self.seconds:.1f} s, {rate:.1f} articles/s (tagger: {self.tagger})"
        )


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
    tagger = make_tagger(options.tagger, options.models)  # fails here, before any work, if models are missing
    summary = RunSummary(tagger=tagger.name)
    store = Store(options.store)
    hashes = (patterns_hash(), models_hash(tagger.name, options.models))
    config = hashlib.sha256("\x00".join((__version__, *hashes, tagger.name)).encode()).hexdigest()[:16]
    run_id = store.begin_run(__version__, *hashes, tagger.name)
    started = time.perf_counter()
    files = input_files(options.inputs)
    summary.files = len(files)
    todo = _changed_files(store, files, config, summary)
    progress = Progress(len(files), options.progress, log)
    progress.advance(len(files) - len(todo), summary)
    for batch in _batches(_results(todo, options, tagger.name)):
        applied = store.apply(batch, config, run_id)
        summary.new += applied.new
        summary.changed += applied.changed
        summary.unchanged += applied.unchanged
        summary.failed += applied.failed
        _log_failures(batch, log)
        progress.advance(len(batch), summary)
    records = store.records_frame()
    summary.records = len(records)
    write_outputs(records, store.documents_frame(), options.store, RUN_OUTPUTS)
    summary.seconds = time.perf_counter() - started
    store.end_run(run_id, vars(summary) | {"records": summary.records})
    store.close()
    progress.close()
    return summary


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
            log("failed", {"source": doc.source, "status": doc.status, "reason": doc.error})


def _changed_files(store: Store, files: list[Path], config: str, summary: RunSummary) -> list[Path]:
    todo = []
    for path in files:
        try:
            regular_size(path)  # a FIFO or /dev/zero is never hashed: the worker reports it
            sha256, _ = file_digest(path)
        except (OSError, InputError):
            todo.append(path)  # the worker reports why
            continue
        name = display_name(path)
        if store.file_is_current(name, sha256, config):
            summary.unchanged += store.documents_of(name)
        else:
            todo.append(path)
    return todo


def _results(todo: list[Path], options: RunOptions, tagger: str) -> Iterator[FileResult]:
    paths = [str(p) for p in todo]
    if options.dask:
        yield from _dask_results(paths, options.dask, tagger, options.models)
    elif options.workers > 1 and len(paths) >= MIN_FILES_PER_WORKER * options.workers:
        yield from _pool_results(paths, options.workers, tagger, options.models)
    else:
        for path in paths:
            yield process_file(path, tagger, options.models)


def _pool_results(paths: list[str], workers: int, tagger: str, models: str | None) -> Iterator[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if tagger == "none":
        # fork after loading the patterns once: workers start warm and share them
        _load_patterns()
        context = multiprocessing.get_context("fork")
    else:
        # spawn: a fresh interpreter per worker, whatever the parent has loaded (torch threads)
        context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_one_thread) as pool:
        chunk = max(1, min(16, len(paths) // (workers * 8)))
        yield from pool.map(
            process_file, paths, [tagger] * len(paths), [models] * len(paths), chunksize=chunk
        )


def _load_patterns() -> None:
    from extractor.api import extract_text

    for code in available_languages():
        extract_text("-", lang=code, tagger="none")  # loads and checks every pattern file


def _one_thread() -> None:
    """Each worker uses one core: the pool, not the tagger, spreads work over them."""
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["MKL_NUM_THREADS"] = "1"


def _dask_results(paths: list[str], address: str, tagger: str, models: str | None) -> Iterator[FileResult]:
    from dask.distributed import Client

    with Client(address) as client:
        futures = client.map(process_file, paths, tagger=tagger, models=models, pure=False)
        for future in futures:
            yield future.result()
