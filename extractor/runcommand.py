"""`derek run` and `derek forget` on the command line: their options, messages and exit codes.

Exit codes (README, "Operating derek"): 0 the run completed; 1 no input, every input
document failed, or more failed than --max-failed; 2 usage; 3 missing models; 4 another run
holds the store; 5 the store or the outputs could not be written (a full disk); 130 stopped
by Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import errno
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from extractor.runcontrol import FILE_TIMEOUT_S, FailureLimit, Interrupted, StoreBusy

EXIT_PROBLEM, EXIT_USAGE, EXIT_BUSY, EXIT_STORE, EXIT_INTERRUPTED = 1, 2, 4, 5, 130
Log = Callable[[str, dict], None]


def positive_count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more seconds, not {text}")
    return value


def _failure_limit(text: str) -> FailureLimit:
    try:
        return FailureLimit.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_run_arguments(command: argparse.ArgumentParser) -> None:
    """The options of `derek run` that keep a night in hand."""
    command.add_argument(
        "--wait", action="store_true", help="if another run holds the store, wait for it (else exit 4)"
    )
    command.add_argument(
        "--file-timeout", type=_seconds, default=FILE_TIMEOUT_S, metavar="SECONDS",
        help=f"stop a file that takes longer: a `timeout` row, retried next run "
        f"(default {FILE_TIMEOUT_S:g}; 0: none)",
    )  # fmt: skip
    command.add_argument(
        "--max-failed", type=_failure_limit, metavar="N|P%",
        help="exit 1 when more input documents than this failed (e.g. 5 or 10%%)",
    )  # fmt: skip


def add_forget_command(commands: argparse._SubParsersAction) -> None:
    forget = commands.add_parser(
        "forget", help="remove deleted or retracted sources, and their records, from a store"
    )
    forget.add_argument("paths", nargs="+", help="files or folders as a run named them (they may be gone)")
    forget.add_argument("--store", default="outputs", help="folder of the store and the outputs")
    forget.add_argument("--wait", action="store_true", help="if a run holds the store, wait for it")
    forget.set_defaults(run=forget_command)


def run_command(args: argparse.Namespace) -> int:
    from extractor.nightly import RunOptions, run
    from extractor.progress import json_log, text_log

    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        print(f"derek run: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    options = RunOptions(
        inputs=args.inputs,
        store=Path(args.store),
        tagger=args.tagger,
        models=args.models,
        workers=args.workers or os.cpu_count() or 1,
        dask=args.dask,
        progress=False if args.log_json or args.no_progress else None,
        wait=args.wait,
        file_timeout=args.file_timeout,
    )
    log = json_log() if args.log_json else text_log()
    say = _teller("run", log, args.log_json)
    try:
        summary = run(options, log)
    except (StoreBusy, Interrupted, sqlite3.Error, OSError) as exc:
        return _stopped(exc, Path(args.store), say)
    if args.log_json:
        log("summary", vars(summary) | {"seconds": round(summary.seconds, 2)})
    else:
        print(summary.line())
    problem = summary.problem(args.max_failed)
    if problem:
        say("problem", problem)
        return EXIT_PROBLEM
    return 0


def _stopped(exc: BaseException, store: Path, say: Callable[..., None]) -> int:
    """The message and exit code of a run that did not complete."""
    if isinstance(exc, StoreBusy):
        say("refused", str(exc))
        return EXIT_BUSY
    if isinstance(exc, Interrupted):
        counts = vars(exc.summary) | {"seconds": round(exc.summary.seconds, 2)} if exc.summary else {}
        read = sum(counts.get(name, 0) for name in ("new", "changed", "failed"))
        message = f"stopped by {exc}: the {read} documents read and committed are kept; run again to go on"
        say("interrupted", message, signal=str(exc), **counts)
        return EXIT_INTERRUPTED
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
    full = (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or "full" in reason
    say(
        "error",
        f"cannot write the store or the outputs in {store}{where}: {reason}. What was committed "
        "before is kept and no output was half written" + ("; free space and run again" if full else ""),
    )
    return EXIT_STORE


def _teller(command: str, log: Log, as_json: bool) -> Callable[..., None]:
    """Messages on stderr: plain lines, or events among the JSON log lines."""

    def say(event: str, message: str, **data: object) -> None:
        if as_json:
            log(event, {"message": message} | data)
        else:
            print(f"derek {command}: {message}", file=sys.stderr)

    return say


def forget_command(args: argparse.Namespace) -> int:
    from extractor.nightly import forget
    from extractor.progress import text_log

    store = Path(args.store)
    if not (store / "derek.sqlite").exists():
        print(f"derek forget: no store in {store}", file=sys.stderr)
        return EXIT_USAGE
    say = _teller("forget", text_log(), False)
    try:
        gone = forget(store, args.paths, args.wait, text_log())
    except (StoreBusy, Interrupted, sqlite3.Error, OSError) as exc:
        return _stopped(exc, store, say)
    if gone.files:
        print(f"forgot {gone.files} files, {gone.documents} documents; outputs in {store}/ rewritten")
    if gone.unmatched:
        say("problem", f"nothing stored at or under: {', '.join(gone.unmatched)}")
        return EXIT_PROBLEM
    return 0
