"""derek: indicator records from Kazakh and Russian news about Kazakhstan's regions."""

from __future__ import annotations

from typing import Any

from extractor.record import COLUMNS, Record

__all__ = ["COLUMNS", "Record", "extract_files", "extract_text", "manifest_frame", "records_frame"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # the API (and pandas behind it) loads on first use: worker processes never need it
    if name in ("extract_files", "extract_text", "manifest_frame", "records_frame"):
        from extractor import api

        return getattr(api, name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
