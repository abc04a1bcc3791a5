"""The store's read side: what a run asks before it reads a file again, and the records,
texts and documents that review, the desk and the exports read."""

from __future__ import annotations

import io
import json
import os
import sqlite3
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.json as pa_json

from extractor.api import FRAME_TYPES, MANIFEST_COLUMNS, rows_frame
from extractor.record import COLUMNS

_ARROW_TYPES = {
    "year": pa.int64(),
    "value": pa.float64(),
    "value_max": pa.float64(),
    "char_start": pa.int64(),
    "char_end": pa.int64(),
}
_RECORD_SCHEMA = pa.schema([(name, _ARROW_TYPES.get(name, pa.string())) for name in COLUMNS])


class FileState(NamedTuple):
    """What the store knows of a file it read: its content, the configuration it was read
    with, its stamp (size, modification time) and the documents it gave."""

    sha256: str
    config: str
    size: int
    mtime_ns: int
    documents: int
    failed: int
    skipped: int

    def same_stamp(self, info: os.stat_result) -> bool:
        return self.mtime_ns >= 0 and (self.size, self.mtime_ns) == (info.st_size, info.st_mtime_ns)


class StoreReader:
    """Queries on an open store; none of them writes."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def documents_of(self, path: str) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM sources WHERE path = ?", (path,)).fetchone()[0])

    def document_counts(self, path: str) -> tuple[int, int, int]:
        """(documents, failed documents, skipped documents) a stored file gave."""
        row = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(d.status NOT IN ('ok', 'skipped')), 0), "
            "COALESCE(SUM(d.status = 'skipped'), 0) FROM sources s "
            "JOIN documents d USING (doc_key) WHERE s.path = ?",
            (path,),
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def file_states(self) -> dict[str, FileState]:
        """Every stored file's state, in one query: a re-run of thousands of files asks once,
        not per file."""
        rows = self.conn.execute(
            "SELECT f.path, f.sha256, f.config, f.size, f.mtime_ns, COUNT(d.doc_key), "
            "COALESCE(SUM(d.status NOT IN ('ok', 'skipped')), 0), COALESCE(SUM(d.status = 'skipped'), 0) "
            "FROM files f LEFT JOIN sources s ON s.path = f.path LEFT JOIN documents d USING (doc_key) "
            "GROUP BY f.path"
        )
        return {row[0]: FileState(*row[1:]) for row in rows}

    def stored_paths(self) -> set[str]:
        query = "SELECT path FROM files UNION SELECT path FROM sources"
        return {row[0] for row in self.conn.execute(query)}

    def file_is_current(self, path: str, sha256: str, config: str) -> bool:
        row = self.conn.execute("SELECT sha256, config FROM files WHERE path = ?", (path,)).fetchone()
        return row is not None and tuple(row) == (sha256, config)

    def records_frame(self) -> pd.DataFrame:
        """The dataset, in a stable order (the same store always gives the same bytes)."""
        rows = [
            row[0]
            for row in self.conn.execute(
                "SELECT r.data FROM records r JOIN documents d USING (doc_key) "
                "ORDER BY d.doc_id, d.doc_key, r.position"
            )
        ]
        if not rows:
            return rows_frame([])
        # Arrow's JSON reader parses the stored rows about twice as fast as json.loads
        table = pa_json.read_json(
            io.BytesIO("\n".join(rows).encode("utf-8")),
            # stored rows also hold `evidence`, which is no column of the dataset
            parse_options=pa_json.ParseOptions(
                explicit_schema=_RECORD_SCHEMA, unexpected_field_behavior="ignore"
            ),
        )
        return table.to_pandas().astype(FRAME_TYPES)

    def document_text(self, doc_key: str) -> tuple[str, str] | None:
        """(title, text) of a document as read: the text its records' offsets point into."""
        row = self.conn.execute("SELECT title, text FROM texts WHERE doc_key = ?", (doc_key,)).fetchone()
        return None if row is None else (row[0], row[1])

    def records_of(self, doc_key: str) -> list[dict]:
        """A document's records in position order: SPEC's columns and `evidence`."""
        query = "SELECT data FROM records WHERE doc_key = ? ORDER BY position"
        return [_stored_record(row[0]) for row in self.conn.execute(query, (doc_key,))]

    def find_record(self, record_id: str) -> dict | None:
        """The stored record with this id (its `doc_key` added), or None."""
        query = "SELECT doc_key, data FROM records WHERE record_id = ? ORDER BY doc_key LIMIT 1"
        row = self.conn.execute(query, (record_id,)).fetchone()
        return None if row is None else _stored_record(row[1]) | {"doc_key": row[0]}

    def doc_key_of(self, doc_id: str) -> str | None:
        query = "SELECT doc_key FROM documents WHERE doc_id = ? ORDER BY status != 'ok', doc_key LIMIT 1"
        row = self.conn.execute(query, (doc_id,)).fetchone()
        return None if row is None else str(row[0])

    def documents_frame(self) -> pd.DataFrame:
        """One row per input document (source); duplicates share their document's doc_id."""
        rows = self.conn.execute(
            "SELECT d.doc_id, s.source, d.lang, d.status, d.records, d.error, s.sha256, d.processed_at "
            "FROM sources s JOIN documents d USING (doc_key) ORDER BY d.doc_id, s.source"
        ).fetchall()
        return pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS))


def _stored_record(data: str) -> dict:
    row = json.loads(data)
    row["evidence"] = [tuple(e) for e in row.get("evidence") or ()]
    return row
