"""Where a run's files are read: this process, a process pool, or a Dask cluster.

Results come back in input order whatever the way, so every way writes the same store. A
pool worker that dies (killed for memory, a crash in a library) does not stop the run: the
files of the task at the head of the queue are read again one by one, each in a pool of its
own; a file whose worker dies again gets an `error` row, and the run goes on with a fresh pool.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from extractor.langdata import available_languages
from extractor.reader import Failure, display_name, import_readers
from extractor.runcontrol import init_worker
from extractor.work import FileResult, failure_result, process_file_within

# Below this many changed files per worker, starting processes costs more than it saves.
MIN_FILES_PER_WORKER = 16
IN_FLIGHT_PER_WORKER = 3  # tasks handed to each worker ahead of the one it reads
WORKER_DIED = "the worker reading it died (out of memory?): not read, tried again next run"


@dataclass(frozen=True)
class Work:
    """What every file of a run is read with."""

    tagger: str
    models: str | None
    seconds: float  # the time limit per file; 0: none


def file_results(
    paths: list[str], work: Work, workers: int = 1, dask: str | None = None
) -> Iterator[FileResult]:
    """The result of each file, in the order of `paths`."""
    if dask:
        yield from _dask_results(paths, dask, work)
    elif workers > 1 and len(paths) >= MIN_FILES_PER_WORKER * workers:
        yield from _pool_results(paths, workers, work)
    else:
        if work.seconds and paths:
            warm_up()  # loading is no file's work: no file's time limit counts it
        for path in paths:
            yield process_file_within(path, work.tagger, work.models, work.seconds)


def _pool_results(paths: list[str], workers: int, work: Work) -> Iterator[FileResult]:
    pending = deque(paths)
    size = max(1, min(16, len(paths) // (workers * 8)))  # files per task: fewer trips through the pipes
    while pending:
        try:
            yield from _drain(pending, workers, work, size)
        except BrokenProcessPool:
            for path in [pending.popleft() for _ in range(min(size, len(pending)))]:
                yield _alone(path, work)  # the head task was in flight when the pool died


def _drain(pending: deque[str], workers: int, work: Work, size: int) -> Iterator[FileResult]:
    """Results of `pending` in order, each popped once yielded; BrokenProcessPool if a worker dies."""
    pool = _new_pool(workers, work.tagger)
    queued = list(pending)
    tasks = (queued[k : k + size] for k in range(0, len(queued), size))
    futures: deque[Future[list[FileResult]]] = deque()
    try:
        for chunk in tasks:
            futures.append(pool.submit(process_files, chunk, work))
            if len(futures) >= workers * IN_FLIGHT_PER_WORKER:
                break
        while futures:
            results = futures.popleft().result()
            for result in results:
                pending.popleft()
                yield result
            chunk = next(tasks, None)
            if chunk is not None:
                futures.append(pool.submit(process_files, chunk, work))
    except BaseException:
        # stopped, a worker died, or the store failed: not waited for. Killing a worker could
        # cut a result in half in the pool's pipe and hang it; they end with their files in
        # hand, or at once with this process (the `derek` command exits now, see init_worker)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def process_files(paths: list[str], work: Work) -> list[FileResult]:
    """One task of a pool: a few files read in a row."""
    return [process_file_within(path, work.tagger, work.models, work.seconds) for path in paths]


def _alone(path: str, work: Work) -> FileResult:
    """One file in a pool of its own: its result, or an error row if that worker dies too."""
    pool = _new_pool(1, work.tagger)
    try:
        return pool.submit(process_file_within, path, work.tagger, work.models, work.seconds).result()
    except BrokenProcessPool:
        failure = Failure(display_name(Path(path).stem), display_name(path), "error", WORKER_DIED)
        return failure_result(failure)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _new_pool(workers: int, tagger: str) -> ProcessPoolExecutor:
    import multiprocessing

    if tagger == "none":
        # fork after loading the patterns once: workers start warm and share them
        warm_up()
        context = multiprocessing.get_context("fork")
    else:
        # spawn: a fresh interpreter per worker, whatever the parent has loaded (torch threads)
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker, initargs=(os.getpid(),))


def warm_up() -> None:
    """Load what every run loads once: each language's patterns (read and checked) and the
    libraries the readers import on first use (trafilatura takes a good part of a second)."""
    from extractor.api import extract_text
    from extractor.places.gazetteer import gazetteer

    for code in available_languages():
        extract_text("-", lang=code, tagger="none")  # loads and checks every pattern file
    gazetteer()  # places: a document without figures, as above, never asks for them
    import_readers()


def _dask_results(paths: list[str], address: str, work: Work) -> Iterator[FileResult]:
    from dask.distributed import Client

    with Client(address) as client:
        futures = client.map(
            process_file_within,
            paths,
            tagger=work.tagger,
            models=work.models,
            seconds=work.seconds,
            pure=False,
        )
        for future in futures:
            yield future.result()
