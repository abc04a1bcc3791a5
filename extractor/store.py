"""The run store: an SQLite file of documents, their sources and texts, records, runs and decisions.

Processed files are applied in transactions of whole files, so a run killed at any moment
leaves the store as it was after the last commit; the next run skips what is already there.
The schema version is SQLite's user_version; `migrate` brings an older store up to date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.json as pa_json

from extractor.api import FRAME_TYPES, MANIFEST_COLUMNS, rows_frame
from extractor.record import COLUMNS
from extractor.work import DocResult, FileResult

STORE_NAME = "derek.sqlite"

# (version, statements): each step takes the store from the version before it to this one.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE files (
            path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
            config TEXT NOT NULL, run_id INTEGER NOT NULL);
        CREATE TABLE documents (
            doc_key TEXT PRIMARY KEY, doc_id TEXT NOT NULL, lang TEXT NOT NULL, status TEXT NOT NULL,
            error TEXT NOT NULL, records INTEGER NOT NULL, config TEXT NOT NULL,
            run_id INTEGER NOT NULL, processed_at TEXT NOT NULL);
        CREATE TABLE sources (
            path TEXT NOT NULL, source TEXT NOT NULL, doc_key TEXT NOT NULL, sha256 TEXT NOT NULL,
            PRIMARY KEY (path, source, doc_key));
        CREATE INDEX sources_by_doc ON sources (doc_key);
        CREATE TABLE records (
            doc_key TEXT NOT NULL, position INTEGER NOT NULL, record_id TEXT NOT NULL, data TEXT NOT NULL,
            PRIMARY KEY (doc_key, position));
        CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY, started TEXT NOT NULL, ended TEXT, version TEXT NOT NULL,
            patterns_hash TEXT NOT NULL, models_hash TEXT NOT NULL, tagger TEXT NOT NULL,
            files INTEGER, new INTEGER, changed INTEGER, unchanged INTEGER, failed INTEGER,
            records INTEGER);
        """,
    ),
    (
        2,
        """
        CREATE TABLE reviews (
            record_id TEXT NOT NULL, verdict TEXT NOT NULL CHECK (verdict IN ('right', 'wrong')),
            editor TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', at TEXT NOT NULL);
        CREATE INDEX reviews_by_record ON reviews (record_id);
        """,
    ),
    (
        3,
        """
        CREATE TABLE texts (doc_key TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL);
        CREATE TABLE decisions (
            decision_id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, doc_key TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('right', 'wrong', 'fix', 'added')),
            fields TEXT NOT NULL DEFAULT '{}', editor TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL);
        CREATE INDEX decisions_by_record ON decisions (record_id, decision_id);
        CREATE INDEX records_by_id ON records (record_id);
        INSERT INTO decisions (record_id, doc_key, verdict, editor, comment, at)
            SELECT v.record_id,
                COALESCE((SELECT r.doc_key FROM records r WHERE r.record_id = v.record_id LIMIT 1), ''),
                v.verdict, v.editor, v.note, v.at
            FROM reviews v ORDER BY v.rowid;
        DROP TABLE reviews;
        -- the texts of stored documents were not kept: the next run reads every file again
        -- to store them (records of unchanged documents stay as they are)
        UPDATE files SET config = '';
        """,
    ),
    (
        4,
        """
        -- how each run ended: running (or killed, found so by the next run), completed,
        -- interrupted (Ctrl-C, SIGTERM), failed (the store or the outputs could not be written)
        ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'running';
        UPDATE runs SET status = CASE WHEN ended IS NULL THEN 'killed' ELSE 'completed' END;
        """,
    ),
)
SCHEMA_VERSION = max(version for version, _ in MIGRATIONS)
_ARROW_TYPES = {
    "year": pa.int64(),
    "value": pa.float64(),
    "value_max": pa.float64(),
    "char_start": pa.int64(),
    "char_end": pa.int64(),
}
_RECORD_SCHEMA = pa.schema([(name, _ARROW_TYPES.get(name, pa.string())) for name in COLUMNS])


# documents.csv rows that are no failure: files not read (an unsupported type, over the size
# limit, not a regular file); an empty .txt is a failed scrape and counts as failed
SKIPPED_STATUSES = ("skipped",)


@dataclass
class Applied:
    """What one file did to the store."""

    new: int = 0  # documents extracted for the first time
    changed: int = 0  # sources whose document was replaced
    unchanged: int = 0  # documents already in the store with this configuration
    failed: int = 0
    skipped: int = 0  # files not read (SKIPPED_STATUSES): no failure


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the steps above the store's version; returns the version it started at.

    The version is read inside a write transaction: two processes opening a new store at
    once take turns, and the second finds the tables made (never `table already exists`).
    """
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION:
        return SCHEMA_VERSION  # up to date: no write lock taken
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if start > SCHEMA_VERSION:
            newer = f"store schema {start} is newer than this derek ({SCHEMA_VERSION}): upgrade derek"
            raise RuntimeError(newer)
        for version, statements in sorted(MIGRATIONS):
            if version > start:
                for statement in _statements(statements):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return start


def _statements(script: str) -> list[str]:
    """A script's statements one by one (executescript would commit the open transaction)."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n;"):
                statements.append(current)
            current = ""
    return statements


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL: readers go on during a run's commits. Switching to it takes the file alone and
    SQLite does not wait for that, so a new store opened by several processes at once retries."""
    for attempt in range(100):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                raise
            time.sleep(0.05)


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is open, without hiding the error that led here: SQLite has already
    rolled back by itself after some errors (a full disk), and a second ROLLBACK would fail."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


class Store:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / STORE_NAME
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        _use_wal(self.conn)
        self.conn.execute("PRAGMA synchronous = NORMAL")
        migrate(self.conn)

    def close(self) -> None:
        self.conn.close()

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

    def file_states(self) -> dict[str, tuple[str, str, int, int, int]]:
        """path → (sha256, config, documents, failed, skipped) of every stored file, in one
        query: a re-run of thousands of files asks once, not per file."""
        rows = self.conn.execute(
            "SELECT f.path, f.sha256, f.config, COUNT(d.doc_key), "
            "COALESCE(SUM(d.status NOT IN ('ok', 'skipped')), 0), COALESCE(SUM(d.status = 'skipped'), 0) "
            "FROM files f LEFT JOIN sources s ON s.path = f.path LEFT JOIN documents d USING (doc_key) "
            "GROUP BY f.path"
        )
        return {row[0]: (row[1], row[2], int(row[3]), int(row[4]), int(row[5])) for row in rows}

    def stored_paths(self) -> set[str]:
        query = "SELECT path FROM files UNION SELECT path FROM sources"
        return {row[0] for row in self.conn.execute(query)}

    def file_is_current(self, path: str, sha256: str, config: str) -> bool:
        row = self.conn.execute("SELECT sha256, config FROM files WHERE path = ?", (path,)).fetchone()
        return row is not None and tuple(row) == (sha256, config)

    def begin_run(self, version: str, patterns_hash: str, models_hash: str, tagger: str) -> int:
        # the caller holds the store's lock: a run still `running` died without closing its row
        self.conn.execute("UPDATE runs SET status = 'killed' WHERE status = 'running'")
        cursor = self.conn.execute(
            "INSERT INTO runs (started, version, patterns_hash, models_hash, tagger) VALUES (?, ?, ?, ?, ?)",
            (now(), version, patterns_hash, models_hash, tagger),
        )
        return int(cursor.lastrowid or 0)

    def end_run(self, run_id: int, counts: dict[str, int], status: str = "completed") -> None:
        names = ("files", "new", "changed", "unchanged", "failed", "records")
        self.conn.execute(
            f"UPDATE runs SET ended = ?, status = ?, {', '.join(f'{n} = ?' for n in names)} WHERE run_id = ?",
            (now(), status, *(counts.get(n, 0) for n in names), run_id),
        )

    def apply(self, results: Sequence[FileResult], config: str, run_id: int) -> Applied:
        """Replace what each file held before with what it holds now, all in one transaction.

        A kill before the commit leaves none of these files stored: the next run redoes them.
        """
        applied = Applied()
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            for result in results:
                if result.readable:
                    self._replace_file(result, config, run_id, applied)
                else:
                    # gone or locked mid-run: keep what the file gave before, add the failure, retry later
                    for doc in result.docs:
                        self._apply_doc(doc, result.path, config, run_id, {}, applied)
            c.execute("COMMIT")
        except BaseException:
            rollback(c)
            raise
        return applied

    def _replace_file(self, result: FileResult, config: str, run_id: int, applied: Applied) -> None:
        c = self.conn
        query = "SELECT source, doc_key FROM sources WHERE path = ?"
        before = {row[0]: row[1] for row in c.execute(query, (result.path,))}
        c.execute("DELETE FROM sources WHERE path = ?", (result.path,))
        for doc in result.docs:
            self._apply_doc(doc, result.path, config, run_id, before, applied)
        self._drop_orphans(set(before.values()))
        c.execute(
            "INSERT OR REPLACE INTO files (path, sha256, size, config, run_id) VALUES (?, ?, ?, ?, ?)",
            (result.path, result.sha256, result.size, config, run_id),
        )

    def _apply_doc(
        self, doc: DocResult, path: str, config: str, run_id: int, before: dict[str, str], applied: Applied
    ) -> None:
        c = self.conn
        known = c.execute("SELECT config FROM documents WHERE doc_key = ?", (doc.doc_key,)).fetchone()
        if doc.status in SKIPPED_STATUSES:
            applied.skipped += 1
        elif doc.status != "ok":
            applied.failed += 1
        elif known is not None and known[0] == config:
            applied.unchanged += 1
        elif doc.source in before:
            applied.changed += 1
        else:
            applied.new += 1
        if known is None or known[0] != config:
            c.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc.doc_key,
                    doc.doc_id,
                    doc.lang,
                    doc.status,
                    doc.error,
                    len(doc.records),
                    config,
                    run_id,
                    now(),
                ),
            )
            c.execute("DELETE FROM records WHERE doc_key = ?", (doc.doc_key,))
            c.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?)",
                [
                    (doc.doc_key, i, r["record_id"], json.dumps(r, ensure_ascii=False))
                    for i, r in enumerate(doc.records)
                ],
            )
        if doc.status == "ok":
            # the text as read: what every record's offsets point into
            c.execute("INSERT OR REPLACE INTO texts VALUES (?, ?, ?)", (doc.doc_key, doc.title, doc.text))
        c.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (path, doc.source, doc.doc_key, doc.sha256)
        )

    def forget_files(self, paths: Sequence[str]) -> int:
        """Remove these files, their sources, and the documents no other source holds; returns
        how many documents went. One transaction: all of them or none."""
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            keys: set[str] = set()
            for path in paths:
                held = c.execute("SELECT doc_key FROM sources WHERE path = ?", (path,))
                keys.update(row[0] for row in held)
                c.execute("DELETE FROM sources WHERE path = ?", (path,))
                c.execute("DELETE FROM files WHERE path = ?", (path,))
            before = int(c.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
            self._drop_orphans(keys)
            gone = before - int(c.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
            c.execute("COMMIT")
        except BaseException:
            rollback(c)
            raise
        return gone

    def _drop_orphans(self, keys: Iterable[str]) -> None:
        for key in keys:
            if self.conn.execute("SELECT 1 FROM sources WHERE doc_key = ?", (key,)).fetchone() is None:
                self.conn.execute("DELETE FROM documents WHERE doc_key = ?", (key,))
                self.conn.execute("DELETE FROM records WHERE doc_key = ?", (key,))
                self.conn.execute("DELETE FROM texts WHERE doc_key = ?", (key,))

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
