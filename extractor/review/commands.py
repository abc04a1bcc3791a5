"""The review's commands: `derek import-reviews` and `derek eval --store`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store (and pyarrow) load when a command needs them
    from extractor.store import Store


def _open(command: str, folder: str) -> Store | None:
    """The store in `folder`, or None after saying there is none (a new store would be empty)."""
    from extractor.store import STORE_NAME, Store

    if not (Path(folder) / STORE_NAME).exists():
        print(f"derek {command}: no store in {folder} (run `derek run INPUT --store {folder}` first)",
              file=sys.stderr)  # fmt: skip
        return None
    return Store(Path(folder))


def import_reviews_command(args: argparse.Namespace) -> int:
    from extractor.review.labelstudio import import_reviews

    if not Path(args.file).is_file():
        print(f"derek import-reviews: no such file: {args.file}", file=sys.stderr)
        return 2
    store = _open("import-reviews", args.store)
    if store is None:
        return 2
    try:
        summary = import_reviews(store, args.file, args.editor)
    except ValueError as exc:
        print(f"derek import-reviews: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    for problem in summary.problems:
        print(f"  skipped: {problem}")
    print(summary.line())
    return 0


def add_import_command(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "import-reviews", help="read a Label Studio JSON export back into the store as decisions"
    )
    command.add_argument("file", help="the JSON export of Label Studio (tasks with annotations)")
    command.add_argument("--store", default="outputs", help="folder of the store")
    command.add_argument("--editor", help="who decided (default: the annotator named in the export)")
    command.set_defaults(run=import_reviews_command)


def eval_store(args: argparse.Namespace) -> int:
    """`derek eval --store S`: the extractor's reviewed records scored against the editors'."""
    from extractor.evaluate import report
    from extractor.review.export import score_reviewed

    store = _open("eval", args.store)
    if store is None:
        return 2
    try:
        score = score_reviewed(store)
    finally:
        store.close()
    if not score.predicted and not score.gold:
        print("no reviewed figures yet: decide on some records first")
        return 0
    print(report(score))
    return 0
