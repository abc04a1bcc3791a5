"""One unit of a run's work: a file read and extracted, as plain data that crosses processes.

Workers (a process pool, or a Dask cluster) call `process_file`; only the main process
touches the store. A tagger is made once per worker process and reused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from extractor.api import extract_article
from extractor.reader import Article, Failure, InputError, display_name, read_file, regular_stat
from extractor.record import Record
from extractor.runcontrol import FileTimeout, checkpoint, time_limit
from extractor.tagging import Tagger, make_tagger


@dataclass(frozen=True)
class DocResult:
    """One input document: its content key, its manifest fields and its records."""

    doc_key: str  # hash of what was extracted: the same article under two names shares it
    doc_id: str
    source: str
    lang: str
    status: str  # ok | empty | skipped | error | timeout
    error: str
    sha256: str
    records: tuple[dict, ...] = ()  # SPEC's columns and `evidence`
    title: str = ""
    text: str = ""  # the text as read: what the records' offsets point into


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str
    size: int
    docs: tuple[DocResult, ...] = field(default_factory=tuple)
    mtime_ns: int = -1  # modification time when read: an unchanged stamp is not read again

    @property
    def readable(self) -> bool:
        return bool(self.sha256)


def content_key(article: Article) -> str:
    parts = (article.lang or "", article.title or "", article.published or "", article.text)
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def title_of(article: Article, records: list[Record]) -> str:
    """The title as the pipeline read it; without records, the container's or the first line."""
    if records:
        return records[0].title
    first = next((line.strip() for line in article.text.splitlines() if line.strip()), "")
    return article.title or first


def file_digest(path: Path) -> tuple[str, int]:
    """(sha256, size) of a file, read in blocks; OSError if it cannot be read."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


@cache
def _worker_tagger(name: str | None, models: str | None) -> Tagger:
    return make_tagger(name, models)


def process_file(path: str, tagger: str | None = None, models: str | None = None) -> FileResult:
    """Read and extract one file. Never raises: what goes wrong becomes a document row."""
    file = Path(path)
    # names as valid text: the store and the outputs key files by them
    stem, source = display_name(file.stem), display_name(path)
    try:
        # before reading: a FIFO would block, /dev/zero never ends; stamped before hashing,
        # so a change while it is read shows as a newer stamp next time
        stamp = regular_stat(file).st_mtime_ns
        sha256, size = file_digest(file)
    except InputError as exc:
        failure = Failure(stem, source, exc.status, str(exc))
        return FileResult(source, "", 0, (_failure_doc(failure),))
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}"
        return FileResult(source, "", 0, (_failure_doc(Failure(stem, source, "error", reason)),))
    docs = []
    for item in read_file(file):
        checkpoint()
        if isinstance(item, Failure):
            docs.append(_failure_doc(item))
            continue
        records, row = extract_article(item, _worker_tagger(tagger, models))
        docs.append(
            DocResult(
                content_key(item),
                item.doc_id,
                item.source,
                row.lang,
                row.status,
                row.error,
                item.sha256,
                tuple(r.row() | {"evidence": getattr(r, "evidence", ())} for r in records),
                title_of(item, records),
                item.text,
            )
        )
    return FileResult(source, sha256, size, tuple(docs), stamp)


def process_file_within(
    path: str, tagger: str | None = None, models: str | None = None, seconds: float = 0.0
) -> FileResult:
    """process_file stopped after `seconds` (0: no limit): a file that takes longer gets a
    `timeout` row, keeps what it gave before and is tried again by the next run."""
    try:
        with time_limit(seconds):
            return process_file(path, tagger, models)
    except FileTimeout:
        source = display_name(path)
        reason = f"took longer than {seconds:g} s (--file-timeout): stopped, tried again next run"
        return failure_result(Failure(display_name(Path(path).stem), source, "timeout", reason))


def failure_result(failure: Failure) -> FileResult:
    """The result of a file that gave nothing but this failure's row."""
    return FileResult(failure.source, failure.sha256, 0, (_failure_doc(failure),))


def _failure_doc(failure: Failure) -> DocResult:
    key = hashlib.sha256(f"failure\x00{failure.source}\x00{failure.sha256}".encode()).hexdigest()
    return DocResult(key, failure.doc_id, failure.source, "", failure.status, failure.reason, failure.sha256)
