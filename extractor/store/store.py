"""The run store: an SQLite file of documents, their sources and texts, records, runs and decisions.

Processed files are applied in transactions of whole files, so a run killed at any moment
leaves the store as it was after the last commit; the next run skips what is already there.
Opening a store brings its schema up to date (extractor/store/schema.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.store.connection import now, rollback, use_wal
from extractor.store.queries import StoreReader
from extractor.store.schema import migrate
from extractor.work import DocResult, FileResult

STORE_NAME = "derek.sqlite"

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

    def count(self, status: str, current: bool, replaced: bool) -> None:
        """One document: `current` if the store holds it with this configuration already,
        `replaced` if its source held a document before."""
        if status in SKIPPED_STATUSES:
            self.skipped += 1
        elif status != "ok":
            self.failed += 1
        elif current:
            self.unchanged += 1
        elif replaced:
            self.changed += 1
        else:
            self.new += 1


class Store(StoreReader):
    """The store in a folder, opened (made and migrated if need be): runs and their writes."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / STORE_NAME
        super().__init__(sqlite3.connect(self.path, isolation_level=None))
        use_wal(self.conn)
        self.conn.execute("PRAGMA synchronous = NORMAL")
        migrate(self.conn)

    def close(self) -> None:
        self.conn.close()

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
            "INSERT OR REPLACE INTO files (path, sha256, size, config, run_id, mtime_ns) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (result.path, result.sha256, result.size, config, run_id, result.mtime_ns),
        )

    def _apply_doc(
        self, doc: DocResult, path: str, config: str, run_id: int, before: dict[str, str], applied: Applied
    ) -> None:
        c = self.conn
        known = c.execute("SELECT config FROM documents WHERE doc_key = ?", (doc.doc_key,)).fetchone()
        current = known is not None and known[0] == config
        applied.count(doc.status, current, doc.source in before)
        if not current:
            self._write_document(doc, config, run_id)
        if doc.status == "ok":
            # the text as read: what every record's offsets point into
            c.execute("INSERT OR REPLACE INTO texts VALUES (?, ?, ?)", (doc.doc_key, doc.title, doc.text))
        c.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", (path, doc.source, doc.doc_key, doc.sha256)
        )

    def _write_document(self, doc: DocResult, config: str, run_id: int) -> None:
        """The document's row and its records, in place of what another configuration made."""
        c = self.conn
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
