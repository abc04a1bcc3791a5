"""The export formats the review adds: gold for `derek eval`, and Label Studio tasks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.review.export import gold_frame
from extractor.review.labelstudio import label_config, tasks

if TYPE_CHECKING:
    from extractor.store import Store

REVIEW_FORMATS = ("gold", "label-studio")  # formats that are not the dataset itself
LABEL_CONFIG_NAME = "label_studio_config.xml"


def dataset_name(fmt: str, reviewed: bool) -> str:
    """The default file of a dataset export: the corrected one never replaces records.*"""
    return f"records_reviewed.{fmt}" if reviewed else f"records.{fmt}"


def review_writer(store: Store, fmt: str, reviewed: bool) -> tuple[str, Callable[[Path], None]]:
    """(default file name, writer) of a gold or Label Studio export: read now, written later."""
    if fmt == "gold":
        gold = gold_frame(store)
        return "gold.csv", lambda path: gold.to_csv(path, index=False)
    if fmt == "label-studio":
        text = json.dumps(tasks(store, reviewed), ensure_ascii=False, indent=1)
        return "label_studio_tasks.json", lambda path: path.write_text(text + "\n", encoding="utf-8")
    raise ValueError(f"unknown review format {fmt!r}: {', '.join(REVIEW_FORMATS)}")


def write_label_config(folder: Path) -> Path:
    """The labelling configuration the tasks fit, beside them."""
    path = folder / LABEL_CONFIG_NAME
    path.write_text(label_config(), encoding="utf-8")
    return path
