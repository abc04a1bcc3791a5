"""What every transaction on the store's SQLite file uses: the clock, WAL, and a rollback
that keeps the error that led to it."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def use_wal(conn: sqlite3.Connection) -> None:
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
