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
from extractor.reader import Article, Failure, read_file
from extractor.tagging import Tagger, make_tagger

MAX_FILE_BYTES = 20_000_000  # larger files are skipped with a reason, not read


@dataclass(frozen=True)
class DocResult:
    """One input document: its content key, its manifest fields and its records."""

    doc_key: str  # hash of what was extracted: the same article under two names shares it
    doc_id: str
    source: str
    lang: str
    status: str  # ok | empty | skipped | error
    error: str
    sha256: str
    records: tuple[dict, ...] = ()


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str
    size: int
    docs: tuple[DocResult, ...] = field(default_factory=tuple)

    @property
    def readable(self) -> bool:
        return bool(self.sha256)


def content_key(article: Article) -> str:
    parts = (article.lang or "", article.title or "", article.published or "", article.text)
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


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
    try:
        sha256, size = file_digest(file)
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}"
        return FileResult(path, "", 0, (_failure_doc(Failure(file.stem, path, "error", reason)),))
    if size > MAX_FILE_BYTES:
        reason = f"file too large: {size / 1e6:.1f} MB > {MAX_FILE_BYTES / 1e6:.0f} MB"
        return FileResult(
            path, sha256, size, (_failure_doc(Failure(file.stem, path, "skipped", reason, sha256)),)
        )
    docs = []
    for item in read_file(file):
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
                tuple(r.row() for r in records),
            )
        )
    return FileResult(path, sha256, size, tuple(docs))


def _failure_doc(failure: Failure) -> DocResult:
    key = hashlib.sha256(f"failure\x00{failure.source}\x00{failure.sha256}".encode()).hexdigest()
    return DocResult(key, failure.doc_id, failure.source, "", failure.status, failure.reason, failure.sha256)
