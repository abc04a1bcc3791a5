"""Shared fixtures: where the project's and the shared data live."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
BLIND = CORPUS / "blind"  # the blind part: scored and reported, never tuned on

# fixtures shared by the desk's and the review tests
pytest_plugins = ("tests.desk_fixtures", "tests.review_fixtures")


def stored_files(store: Path) -> int:
    """Files a store holds so far (0 while it cannot be read): how far a run has come."""
    try:
        with sqlite3.connect(store / "derek.sqlite", timeout=0.1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM files").fetchone()[0])
    except sqlite3.Error:
        return 0


def dev_files() -> list[Path]:
    """The development part of corpus/: its top-level articles (corpus/blind/ is apart)."""
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix in (".txt", ".html", ".jsonl"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    seeds = SHARED / "seeds"
    if not seeds.is_dir() or not (SHARED / "gold" / "seeds.csv").is_file():
        pytest.skip("../shared/seeds and ../shared/gold are not here")
    return seeds
