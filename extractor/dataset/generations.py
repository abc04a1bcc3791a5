"""Output folders swapped in whole, so a reader never mixes the files of two runs.

Each write goes into a fresh generation folder; one rename then repoints `current` at it.
The outputs at the top of the folder are links into `current/`:

    outputs/records.csv  -> current/records.csv
    outputs/current      -> .generations/20261122T004626-4711-a1b2c3
    outputs/.generations/20261122T004626-4711-a1b2c3/records.csv, records.parquet, ...

so at any moment every output is of one generation. Readers that open several files over a
long time and want them from one run open them through one resolved path
(`os.path.realpath("outputs/current")`). A generation being written holds an flock on its
`.lock`; a run killed meanwhile leaves a folder nobody holds, and the next write removes it,
with the `.NAME.*.tmp` files of single-file writes and of older derek versions. A write
that fails (a full disk) removes its generation and raises OutputError: the previous
outputs stay as they were.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

GENERATIONS = ".generations"
CURRENT = "current"
LOCK = ".lock"
YOUNG_S = 60.0  # a folder or link this recent without its lock may be another writer's, just made


class OutputError(OSError):
    """The outputs could not be written; the previous outputs are as they were.

    `strerror` says why (the system's reason), `filename` which file was being written.
    """

    def __str__(self) -> str:
        where = f" ({self.filename})" if self.filename else ""
        return f"{self.strerror}{where}; the previous outputs are kept"


def output_error(exc: OSError, path: Path | str) -> OutputError:
    """`exc` as an OutputError naming `path`: the output as its reader knows it."""
    if isinstance(exc, OutputError):
        return exc
    reason = exc.strerror or str(exc) or type(exc).__name__
    error = OutputError(exc.errno or errno.EIO, reason)
    error.filename = str(path)
    return error


class Generation:
    """One generation folder being written; `publish` makes it current."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        root = folder / GENERATIONS
        root.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
        self.path = root / name
        self.path.mkdir()  # with the umask's permissions, unlike mkdtemp's 0700
        self._lock = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.published = False

    def write(self, name: str, write: Callable[[Path], None]) -> Path:
        """Write one file of the generation; an OSError becomes an OutputError naming it."""
        path = self.path / name
        try:
            write(path)
        except OSError as exc:
            raise output_error(exc, self.folder / name) from exc
        return path

    def publish(self, names: Iterable[str]) -> None:
        """Repoint `current` here (one rename), then make sure each name is a link into it."""
        _point(self.folder / CURRENT, f"{GENERATIONS}/{self.path.name}")
        self.published = True
        for name in names:
            _point(self.folder / name, f"{CURRENT}/{name}")
        for link in self.folder.iterdir():  # outputs this generation has not: no dangling names
            if link.is_symlink() and os.readlink(link).startswith(f"{CURRENT}/") and not link.exists():
                link.unlink(missing_ok=True)

    def close(self) -> None:
        if not self.published:
            shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._lock)


@contextlib.contextmanager
def generation(folder: Path) -> Iterator[Generation]:
    """A new generation in `folder`, removed again unless published. Leftovers of killed
    writes are removed before it is made (room on a full disk) and after it is published
    (the generation it replaced). Every OSError comes out as an OutputError."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sweep(folder)
        made = Generation(folder)
    except OSError as exc:
        raise output_error(exc, folder) from exc
    try:
        yield made
    except OSError as exc:
        raise output_error(exc, folder) from exc
    finally:
        made.close()
    sweep(folder)


def current_generation(folder: Path) -> Path | None:
    """The folder `current` points at, if it is one of this folder's generations."""
    link = folder / CURRENT
    if not link.is_symlink():
        return None
    target = folder / GENERATIONS / Path(os.readlink(link)).name
    return target if target.is_dir() else None


def sweep(folder: Path) -> None:
    """Remove what killed writes left: generations that nobody holds and `current` does not
    point at, and `.*.tmp` files or links that nobody is writing. Never fails."""
    current = current_generation(folder)
    root = folder / GENERATIONS
    with contextlib.suppress(OSError):
        for child in list(root.iterdir()) if root.is_dir() else []:
            if child != current and not _held(child / LOCK, child):
                shutil.rmtree(child, ignore_errors=True)
        for child in list(folder.iterdir()):
            if child.name.startswith(".") and child.name.endswith(".tmp") and not _held(child, child):
                child.unlink(missing_ok=True)


def _held(lock: Path, made: Path) -> bool:
    """Whether a writer still holds `lock` (for a link or a missing lock: whether `made` is recent)."""
    try:
        if lock.is_symlink() or not lock.exists():
            return time.time() - made.lstat().st_mtime < YOUNG_S
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return True  # cannot tell: leave it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _point(link: Path, target: str) -> None:
    """Make `link` a symlink to `target` in one rename (a file there is replaced)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    tmp = link.with_name(f".{link.name}.{secrets.token_hex(4)}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def atomic_file(path: Path, write: Callable[[Path], None]) -> None:
    """Write one file through a temporary file beside it, then rename: readers never see
    half a file. The temporary file is flocked while written (a sweep leaves it alone) and
    created with the umask's permissions."""
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise output_error(exc, path) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise output_error(exc, path) from exc
    finally:
        os.close(fd)
        tmp.unlink(missing_ok=True)
