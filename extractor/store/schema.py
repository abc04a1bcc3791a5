"""The store's schema: its tables, as steps from an empty file to the current version.

The schema version is SQLite's user_version; `migrate` brings an older store up to date
when it is opened, every missing step in one transaction.
"""

from __future__ import annotations

import sqlite3

from extractor.store.connection import rollback

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
    (
        5,
        """
        -- a file's modification time when it was read: a re-run reads again only the files
        -- whose size or time changed (-1: not known, read and hashed as before)
        ALTER TABLE files ADD COLUMN mtime_ns INTEGER NOT NULL DEFAULT -1;
        """,
    ),
)
SCHEMA_VERSION = max(version for version, _ in MIGRATIONS)


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
