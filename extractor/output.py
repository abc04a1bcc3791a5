"""Writing the dataset: records as CSV, Parquet and JSON lines, and the manifest.

Several files written together are one generation (extractor/dataset/generations.py): they
appear together or not at all, and OutputError says why not. `publish_store` rebuilds a
store's outputs only where its documents changed (extractor/dataset/incremental.py).
Formats and types: extractor/dataset/formats.py (and README, "Loading the dataset").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow.parquet as pq

from extractor.dataset.formats import frame_table, table_csv
from extractor.dataset.generations import OutputError, atomic_file, current_generation, generation

if TYPE_CHECKING:
    from extractor.store import Store

__all__ = ["OutputError", "export_store", "publish_store", "write_outputs"]
OUTPUTS = ("records.csv", "records.parquet", "records.jsonl", "documents.csv", "documents.parquet")
STORE_OUTPUTS = ("records.csv", "records.parquet", "documents.csv", "documents.parquet")


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write one file through a temporary file and a rename (OutputError if it cannot)."""
    atomic_file(path, write)


def _writer(fmt: str, frame: pd.DataFrame) -> Callable[[Path], None]:
    """How a frame is written as csv (text cells escaped), parquet (typed) or jsonl (as is)."""
    if fmt == "csv":
        return lambda path: path.write_bytes(table_csv(frame_table(frame)))
    if fmt == "parquet":
        return lambda path: pq.write_table(frame_table(frame), path)
    if fmt == "jsonl":
        return lambda path: frame.to_json(path, orient="records", lines=True, force_ascii=False)
    raise ValueError(f"unknown format {fmt!r}: csv, parquet or jsonl")


def write_outputs(
    records: pd.DataFrame, manifest: pd.DataFrame, out: Path, names: Sequence[str] | None = None
) -> list[Path]:
    """records.csv, .parquet, .jsonl, documents.csv and .parquet in `out` (or those named),
    swapped in together; OutputError (an OSError) if they cannot be, the old ones kept."""
    unknown = set(names or ()) - set(OUTPUTS)
    if unknown:
        raise ValueError(f"unknown outputs {sorted(unknown)}: {', '.join(OUTPUTS)}")
    chosen = [name for name in OUTPUTS if names is None or name in names]
    frames = {"records": records, "documents": manifest}
    with generation(out) as made:
        for name in chosen:
            stem, fmt = name.split(".")
            made.write(name, _writer(fmt, frames[stem]))
        made.publish(chosen)
    return [out / name for name in chosen]


def publish_store(store: Store, folder: Path, names: Sequence[str] = STORE_OUTPUTS) -> int:
    """The outputs of the store in `folder` as a new generation, re-rendering only the
    documents that changed since the last one; returns the number of records."""
    from extractor.dataset import incremental as inc

    conn = store.conn
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")  # one snapshot of the store for every file
    try:
        store_id, docs = inc.store_id(conn), inc.store_documents(conn)
        with generation(folder) as made:
            previous = inc.load_previous(current_generation(folder), store_id)
            index = inc.write_records(made, inc.pieces(conn, docs, previous), previous)
            documents = inc.documents_table(conn)
            made.write("documents.csv", lambda path: path.write_bytes(table_csv(documents)))
            made.write("documents.parquet", lambda path: pq.write_table(documents, path))
            inc.write_index(made, index, store_id)
            made.publish([name for name in STORE_OUTPUTS if name in names])
    finally:
        if began and conn.in_transaction:
            conn.execute("COMMIT")
    return sum(rows for _, _, rows, _ in index)


def export_store(folder: Path, fmt: str, target: Path | None = None, reviewed: bool = False) -> Path:
    """The dataset of the store in `folder` as one file, written atomically, with its review
    columns (`reviewed`: corrected by editors' decisions); or a gold or Label Studio file."""
    from extractor.review.export import dataset
    from extractor.review.formats import REVIEW_FORMATS, dataset_name, review_writer
    from extractor.store import Store

    store = Store(folder)
    try:
        if fmt in REVIEW_FORMATS:
            name, write = review_writer(store, fmt, reviewed)
            _atomic(target or folder / name, write)
            return target or folder / name
        records = dataset(store, reviewed)
    finally:
        store.close()
    target = target or folder / dataset_name(fmt, reviewed)
    _atomic(target, _writer(fmt, records))
    return target
