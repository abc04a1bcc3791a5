"""Writing the dataset: records as CSV, Parquet and JSON lines, and the manifest."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_outputs(
    records: pd.DataFrame, manifest: pd.DataFrame, out: Path, names: tuple[str, ...] | None = None
) -> list[Path]:
    """records.csv, records.parquet, records.jsonl and documents.csv in `out` (or those named)."""
    paths = {
        "records.csv": lambda p: records.to_csv(p, index=False),
        "records.parquet": lambda p: records.to_parquet(p, index=False),
        "records.jsonl": lambda p: records.to_json(p, orient="records", lines=True, force_ascii=False),
        "documents.csv": lambda p: manifest.to_csv(p, index=False),
    }
    written = []
    for name, write in paths.items():
        if names is not None and name not in names:
            continue
        _atomic(out / name, write)
        written.append(out / name)
    return written


def export_store(folder: Path, fmt: str, target: Path | None = None) -> Path:
    """The dataset of the store in `folder` as one file, written atomically."""
    from extractor.store import Store

    store = Store(folder)
    try:
        records = store.records_frame()
    finally:
        store.close()
    target = target or folder / f"records.{fmt}"
    writers: dict[str, Callable[[Path], None]] = {
        "csv": lambda p: records.to_csv(p, index=False),
        "parquet": lambda p: records.to_parquet(p, index=False),
        "jsonl": lambda p: records.to_json(p, orient="records", lines=True, force_ascii=False),
    }
    _atomic(target, writers[fmt])
    return target
