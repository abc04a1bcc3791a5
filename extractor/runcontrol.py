"""What keeps a run in hand: one run per store, a clean stop on Ctrl-C or SIGTERM, a time
limit per file, pool workers that never outlive the run, and the failure limit of its exit code.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

LOCK_NAME = "derek.lock"
FILE_TIMEOUT_S = 120.0  # an article takes well under a second: this is a file that never ends
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_held_lock_fd: int | None = None  # the lock of this process's run, closed in forked workers


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM. A BaseException, like KeyboardInterrupt: no `except Exception` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.summary: Any = None  # the run's counts when it stopped, where it had started


class FileTimeout(BaseException):
    """One file took longer than its limit (raised in the process that extracts it)."""


class StoreBusy(Exception):
    """Another run holds the store."""


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class StopSignals:
    """SIGINT and SIGTERM raise Interrupted once; later ones, during the cleanup, are only noted."""

    def __init__(self) -> None:
        self.signum = 0
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        if _in_main_thread():  # Python lets only the main thread set handlers
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._stop)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        if not self.signum:
            self.signum = signum
            raise Interrupted(signum)


class StoreLock:
    """An exclusive flock on `derek.lock` in the store folder, held for the whole run.

    The kernel drops it with the process (even on kill -9): no stale lock is ever left.
    """

    def __init__(self, folder: Path, wait: bool = False, log: Callable[[str, dict], None] | None = None):
        self.path = folder / LOCK_NAME
        self.wait, self.log = wait, log
        self.fd = -1

    def __enter__(self) -> StoreLock:
        global _held_lock_fd
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            self._acquire()
        except BaseException:
            os.close(self.fd)
            raise
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()} {time.strftime('%Y-%m-%dT%H:%M:%S')}\n".encode(), 0)
        _held_lock_fd = self.fd
        return self

    def _acquire(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = self.holder()
        if not self.wait:
            raise StoreBusy(
                f"another derek run ({holder}) is using the store {self.path.parent}: "
                "wait for it to end, or use --wait"
            )
        if self.log is not None:
            self.log("waiting", {"store": str(self.path.parent), "holder": holder})
        fcntl.flock(self.fd, fcntl.LOCK_EX)  # a signal interrupts the wait (PEP 475 runs the handler)

    def holder(self) -> str:
        with contextlib.suppress(OSError, ValueError):
            pid, since = self.path.read_text(encoding="utf-8").split()[:2]
            return f"process {int(pid)}, since {since}"
        return "process unknown"

    def __exit__(self, *exc: object) -> None:
        global _held_lock_fd
        _held_lock_fd = None
        os.close(self.fd)  # releases the lock


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise FileTimeout in this thread after `seconds` (0: no limit).

    SIGALRM reaches only a process's main thread, where the pool's workers and the
    single-process run extract: there the alarm stops the work wherever it is. Other threads
    (Dask's workers run tasks in threads) get a deadline that `checkpoint` checks between a
    file's documents and between a document's stages.
    """
    if seconds <= 0:
        yield
        return
    if not _in_main_thread():
        yield from _thread_deadline(seconds)
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise FileTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:  # the caller's own alarm goes on
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))


_deadlines = threading.local()  # per thread: (monotonic deadline, its limit in seconds)


def _thread_deadline(seconds: float) -> Iterator[None]:
    previous = getattr(_deadlines, "current", None)
    deadline = time.monotonic() + seconds
    if previous is not None:
        deadline = min(deadline, previous[0])  # an outer limit still holds
    _deadlines.current = (deadline, seconds)
    try:
        yield
    finally:
        _deadlines.current = previous


def checkpoint() -> None:
    """Raise FileTimeout if this thread's deadline has passed (see time_limit)."""
    current = getattr(_deadlines, "current", None)
    if current is not None and time.monotonic() > current[0]:
        raise FileTimeout(f"took longer than {current[1]:g} s")


def init_worker(parent_pid: int) -> None:
    """Set up a pool worker: one thread, deaf to Ctrl-C (the run handles it), dead with its parent."""
    os.environ["OMP_NUM_THREADS"] = "1"  # the pool, not the tagger, spreads work over the cores
    os.environ["MKL_NUM_THREADS"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches the whole group
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _held_lock_fd is not None:  # a forked copy of the store lock must not outlive the run
        with contextlib.suppress(OSError):
            os.close(_held_lock_fd)
    _die_with(parent_pid)


def _die_with(parent_pid: int) -> None:
    """End this process when its parent ends, even by kill -9: the kernel's parent-death
    signal on Linux, and a thread that watches the parent's pid everywhere."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@dataclass(frozen=True)
class FailureLimit:
    """--max-failed: a number of failed input documents (`5`) or a share of them (`10%`)."""

    limit: float
    percent: bool

    @classmethod
    def parse(cls, text: str) -> FailureLimit:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", text)
        if match is None or (not match.group(2) and "." in match.group(1)):
            raise ValueError(f"not a count or a percentage: {text!r} (e.g. 5 or 10%)")
        value = float(match.group(1))
        if match.group(2) and value > 100:
            raise ValueError(f"a percentage above 100: {text!r}")
        return cls(value, bool(match.group(2)))

    def exceeded(self, failed: int, total: int) -> bool:
        if self.percent:
            return total > 0 and failed * 100 > self.limit * total
        return failed > self.limit

    def __str__(self) -> str:
        return f"{self.limit:g}%" if self.percent else f"{self.limit:g}"
