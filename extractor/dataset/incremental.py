"""A store's outputs, rebuilt only where its documents changed.

Beside its outputs, each generation keeps every record in Arrow's file format, uncompressed
(`.records.arrow`), and an index (`.records.index`): for each document in the dataset's
order, its key, a stamp of what its records were made from, its number of rows and the
length of its lines in records.csv. The next publish walks the store's documents in the
same order: a document whose stamp is unchanged takes its rows from the generation before
(its CSV lines copied by the kernel, its Arrow rows sliced from the memory-mapped file);
only new and changed documents are read from the store and rendered. A night that changed
1% of the articles reads and renders 1% of the records; the rest is copied, and only
records.parquet, one compressed file, is encoded whole.

A document's records change only with its row in `documents` (run, time, configuration,
count) or with its sources (a file renamed in the store renames the records' `source`):
both are in the stamp. The cache is used only by the store that made it, in this FORMAT.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import sqlite3
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from extractor.dataset.formats import (
    MANIFEST_SCHEMA,
    RECORD_SCHEMA,
    csv_chunks,
    csv_header,
    pandas_metadata,
    typed,
)
from extractor.dataset.generations import Generation

FORMAT = 1  # raise when the files' rendering changes: caches of other formats are not used
BLOCK_ROWS = 65536  # rows per Parquet row group and Arrow batch, cut at fixed counts: same rows, same bytes
FRESH_DOCS = 1000  # documents read from the store and rendered at a time
ARROW_NAME, INDEX_NAME = ".records.arrow", ".records.index"
# as stored: dates are ISO text
_JSON_SCHEMA = pa.schema(
    [(f.name, pa.string() if pa.types.is_date(f.type) else f.type) for f in RECORD_SCHEMA]
)
# Parquet dictionaries for the columns that repeat (per document, per region); not for ids, spans, numbers
_NO_DICTIONARY = ("record_id", "value_text", "sentence", "value", "value_max", "char_start", "char_end")
_DICTIONARY = [name for name in RECORD_SCHEMA.names if name not in _NO_DICTIONARY]


IndexRow = tuple[str, str, int, int]  # key, stamp, rows, CSV bytes


@dataclass(frozen=True)
class Doc:
    key: str
    stamp: str


@dataclass
class Piece:
    """Consecutive documents' rows: CSV bytes (or a range of the previous records.csv) and a table."""

    csv: bytes | tuple[int, int]
    table: pa.Table
    index: list[IndexRow]  # one per document


@dataclass
class Previous:
    """The generation before: where each of its documents' rows lie."""

    csv: Path
    table: pa.Table  # uncompressed and memory-mapped: slicing it reads only what is copied
    where: dict[str, tuple[int, str, int, int, int, int]] = field(default_factory=dict)
    # key -> (position, stamp, first row, rows, first CSV byte, CSV bytes)


def store_id(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT run_id, started FROM runs ORDER BY run_id LIMIT 1").fetchone()
    return f"{row[0]}:{row[1]}" if row else ""


def store_documents(conn: sqlite3.Connection) -> list[Doc]:
    """The documents that hold records, in the dataset's order, each with its stamp."""
    query = (
        "SELECT d.doc_key, d.doc_id || char(30) || d.run_id || char(30) || d.processed_at || char(30) "
        "|| d.config || char(30) || d.records || char(30) || COALESCE((SELECT group_concat(x, char(30)) "
        "FROM (SELECT s.path || char(31) || s.source AS x FROM sources s WHERE s.doc_key = d.doc_key "
        "ORDER BY 1)), '') FROM documents d WHERE d.records > 0 ORDER BY d.doc_id, d.doc_key"
    )
    return [
        Doc(key, hashlib.sha256(made.encode("utf-8", "replace")).hexdigest()[:20])
        for key, made in conn.execute(query)
    ]


def load_previous(folder: Path | None, store: str) -> Previous | None:
    """The generation before, if it was made by this store in this format and is whole."""
    if folder is None:
        return None
    try:
        index = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
        if index.get("format") != FORMAT or index.get("store") != store:
            return None
        table = pa.ipc.open_file(pa.memory_map(str(folder / ARROW_NAME))).read_all()
        previous = Previous(folder / "records.csv", table)
        row, byte = 0, len(csv_header(RECORD_SCHEMA.names))
        for position, (key, stamp, rows, length) in enumerate(index["docs"]):
            previous.where[key] = (position, stamp, row, rows, byte, length)
            row, byte = row + rows, byte + length
        whole = row == table.num_rows and byte == previous.csv.stat().st_size
        return previous if whole and table.schema.equals(RECORD_SCHEMA) else None
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None  # a cache that cannot be read is rebuilt


def pieces(conn: sqlite3.Connection, docs: Sequence[Doc], previous: Previous | None) -> Iterator[Piece]:
    """The dataset's rows in order: runs of unchanged documents from the generation before
    (one piece while they lie side by side there), the others read from the store."""

    def kept(doc: Doc) -> tuple[int, str, int, int, int, int] | None:
        found = previous.where.get(doc.key) if previous else None
        return found if found is not None and found[1] == doc.stamp else None

    fresh = Renderer(conn, [doc for doc in docs if kept(doc) is None])
    i = 0
    while i < len(docs):
        first = kept(docs[i])
        j = i + 1
        if first is not None and previous is not None:
            last = first
            while j < len(docs) and (nxt := kept(docs[j])) is not None and nxt[0] == last[0] + 1:
                last, j = nxt, j + 1
            rows = last[2] + last[3] - first[2]
            length = last[4] + last[5] - first[4]
            index = [_kept_row(d, previous.where[d.key]) for d in docs[i:j]]
            yield Piece((first[4], length), previous.table.slice(first[2], rows), index)
        else:
            while j < len(docs) and j - i < FRESH_DOCS and kept(docs[j]) is None:
                j += 1
            yield fresh.piece(docs[i:j])
        i = j


def _kept_row(doc: Doc, where: tuple[int, str, int, int, int, int]) -> IndexRow:
    return (doc.key, doc.stamp, where[3], where[5])


class Renderer:
    """The documents the generation before cannot give, rendered FRESH_DOCS at a time in the
    dataset's order, however few and scattered among the kept ones they are."""

    def __init__(self, conn: sqlite3.Connection, todo: list[Doc]) -> None:
        self.conn, self.todo, self.done = conn, todo, 0
        self.ready: dict[str, tuple[pa.Table, bytes, IndexRow]] = {}

    def piece(self, docs: Sequence[Doc]) -> Piece:
        parts = [self._take(doc) for doc in docs]
        table = pa.concat_tables([part[0] for part in parts]) if parts else RECORD_SCHEMA.empty_table()
        return Piece(b"".join(part[1] for part in parts), table, [part[2] for part in parts])

    def _take(self, doc: Doc) -> tuple[pa.Table, bytes, IndexRow]:
        while doc.key not in self.ready and self.done < len(self.todo):
            batch = self.todo[self.done : self.done + FRESH_DOCS]
            self.done += len(batch)
            self.ready.update(render(self.conn, batch))
        return self.ready.pop(doc.key)


def render(conn: sqlite3.Connection, docs: Sequence[Doc]) -> dict[str, tuple[pa.Table, bytes, IndexRow]]:
    """Documents read from the store: each one's records as a typed table and as CSV lines."""
    data: dict[str, list[str]] = {doc.key: [] for doc in docs}
    keys = list(data)
    for start in range(0, len(keys), 500):  # well under SQLite's limit of parameters
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT doc_key, data FROM records WHERE doc_key IN ({marks}) ORDER BY doc_key, position"
        for key, text in conn.execute(query, chunk):
            data[key].append(text)
    lines = [text for key in keys for text in data[key]]
    if lines:
        # Arrow's JSON reader parses the stored rows much faster than json.loads
        raw = pa_json.read_json(
            io.BytesIO("\n".join(lines).encode("utf-8", "replace")),
            parse_options=pa_json.ParseOptions(
                explicit_schema=_JSON_SCHEMA, unexpected_field_behavior="ignore"
            ),
        )
    else:
        raw = _JSON_SCHEMA.empty_table()
    table = typed(raw, RECORD_SCHEMA)
    counts = [len(data[key]) for key in keys]
    chunks = csv_chunks(table, counts)
    done, starts = {}, 0
    for doc, rows, chunk in zip(docs, counts, chunks, strict=True):
        done[doc.key] = (table.slice(starts, rows), chunk, (doc.key, doc.stamp, rows, len(chunk)))
        starts += rows
    return done


class Blocks:
    """Tables cut into blocks of exactly BLOCK_ROWS rows (the last one shorter)."""

    def __init__(self, size: int = BLOCK_ROWS) -> None:
        self.size = size
        self.parts: list[pa.Table] = []
        self.rows = 0

    def add(self, table: pa.Table) -> Iterator[pa.Table]:
        self.parts.append(table)
        self.rows += table.num_rows
        while self.rows >= self.size:
            whole = pa.concat_tables(self.parts)
            yield whole.slice(0, self.size).combine_chunks()
            rest = whole.slice(self.size)
            self.parts, self.rows = ([rest] if rest.num_rows else []), rest.num_rows

    def rest(self) -> Iterator[pa.Table]:
        if self.rows:
            yield pa.concat_tables(self.parts).combine_chunks()


def write_records(gen: Generation, parts: Iterator[Piece], previous: Previous | None) -> list[IndexRow]:
    """records.csv, records.parquet and the cache of the next run, from the pieces in order;
    returns the index (a row per document)."""
    index: list[IndexRow] = []
    schema = RECORD_SCHEMA.with_metadata(pandas_metadata(RECORD_SCHEMA))
    out = os.open(gen.path / "records.csv", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    old = os.open(previous.csv, os.O_RDONLY) if previous is not None else -1
    try:
        with (
            ParquetInThread(gen.path / "records.parquet", schema) as parquet,
            pa.ipc.new_file(str(gen.path / ARROW_NAME), schema) as arrow,
        ):
            write_all(out, csv_header(schema.names))
            blocks = Blocks()
            for piece in parts:
                if isinstance(piece.csv, bytes):
                    write_all(out, piece.csv)
                else:
                    copy_range(old, out, *piece.csv)
                index.extend(piece.index)
                for block in blocks.add(piece.table):
                    parquet.write(block)
                    arrow.write_table(block)
            for block in blocks.rest():
                parquet.write(block)
                arrow.write_table(block)
    finally:
        os.close(out)
        if old >= 0:
            os.close(old)
    return index


class ParquetInThread:
    """records.parquet encoded in a thread of its own, beside the copying (pyarrow lets go of
    the GIL while it encodes, the slowest step). Blocks are written in order, at most two
    waiting; an error comes out at the next write or on leaving."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.writer = pq.ParquetWriter(str(path), schema, use_dictionary=_DICTIONARY)
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="parquet")
        self.pending: deque[Future[None]] = deque()

    def write(self, block: pa.Table) -> None:
        while len(self.pending) >= 2:
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(self.writer.write_table, block, row_group_size=BLOCK_ROWS))

    def __enter__(self) -> ParquetInThread:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        try:
            while self.pending and kind is None:
                self.pending.popleft().result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.writer.close()


def write_index(gen: Generation, index: list[IndexRow], store: str) -> None:
    text = json.dumps({"format": FORMAT, "store": store, "docs": index}, separators=(",", ":"))
    gen.write(INDEX_NAME, lambda path: path.write_text(text, encoding="utf-8"))


def documents_table(conn: sqlite3.Connection) -> pa.Table:
    """One row per input document (source); duplicates share their document's doc_id."""
    rows = conn.execute(
        "SELECT d.doc_id, s.source, d.lang, d.status, d.records, d.error, s.sha256, d.processed_at "
        "FROM sources s JOIN documents d USING (doc_key) ORDER BY d.doc_id, s.source"
    ).fetchall()
    raw = {name: [row[i] for row in rows] for i, name in enumerate(MANIFEST_SCHEMA.names)}
    text_schema = pa.schema([(name, pa.string()) for name in MANIFEST_SCHEMA.names if name != "records"])
    table = pa.table({name: pa.array(raw[name], pa.string()) for name in text_schema.names})
    table = table.append_column("records", pa.array(raw["records"], pa.int64()))
    return typed(table, MANIFEST_SCHEMA)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def copy_range(source: int, target: int, offset: int, length: int) -> None:
    """Append `length` bytes of `source` from `offset` to `target`, in the kernel where it can."""
    end = offset + length
    try:
        while offset < end:
            copied = os.copy_file_range(source, target, end - offset, offset)
            if copied == 0:
                raise OSError(f"the previous records.csv ended early at byte {offset}")
            offset += copied
    except OSError as exc:
        if exc.errno is None or exc.errno not in _NO_COPY_RANGE:
            raise
        while offset < end:  # no copy_file_range here (another file system, an old kernel)
            block = os.pread(source, min(1 << 20, end - offset), offset)
            if not block:
                raise OSError(f"the previous records.csv ended early at byte {offset}") from exc
            write_all(target, block)
            offset += len(block)


_NO_COPY_RANGE = {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}
