"""Progress and logs of a run: a bar on a terminal, plain or JSON lines elsewhere."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

Log = Callable[[str, dict], None]
INTERVAL_S = 5.0  # plain progress lines at most this often


def text_log(stream: TextIO | None = None) -> Log:
    def log(event: str, data: dict) -> None:
        fields = " ".join(f"{k}={v}" for k, v in data.items())
        print(f"{event}: {fields}", file=stream or sys.stderr, flush=True)

    return log


def json_log(stream: TextIO | None = None) -> Log:
    def log(event: str, data: dict) -> None:
        line = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "event": event} | data
        print(json.dumps(line, ensure_ascii=False), file=stream or sys.stderr, flush=True)

    return log


class Progress:
    """Counts finished files; shows a bar (tqdm) or emits `progress` log lines."""

    def __init__(self, total: int, bar: bool | None, log: Log | None) -> None:
        self.total, self.done = total, 0
        self.log = log
        self.started = self.last = time.monotonic()
        use_bar = sys.stderr.isatty() if bar is None else bar
        self.bar: Any = None
        if use_bar and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr)

    def advance(self, files: int, summary: Any) -> None:
        self.done += files
        if self.bar is not None:
            self.bar.update(files)
            return
        now = time.monotonic()
        if self.log is not None and (now - self.last >= INTERVAL_S or self.done == self.total):
            self.last = now
            elapsed = max(now - self.started, 1e-9)
            self.log(
                "progress",
                {
                    "files": f"{self.done}/{self.total}",
                    "new": summary.new,
                    "changed": summary.changed,
                    "failed": summary.failed,
                    "articles_per_s": round((summary.new + summary.changed) / elapsed, 1),
                },
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
