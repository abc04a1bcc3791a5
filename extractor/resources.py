"""Where derek's data is, and which version and build are installed.

patterns/ and models/ sit at the top of the repository. A built wheel carries them inside the
package, as extractor/_data/patterns and extractor/_data/models (pyproject.toml maps them
there), and importlib.resources finds them wherever the package was installed. From a source
checkout (an editable install, the tests) they are read where they are.
"""

from __future__ import annotations

import importlib.util
from importlib import metadata, resources
from pathlib import Path

from extractor import __version__

DISTRIBUTION = "derek"
_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder `patterns` or `models`: the installed package's copy, else the source tree's
    (which may be missing: callers say what they needed from it)."""
    packaged = resources.files("extractor") / "_data" / name
    # Installed from a wheel the package is a folder on disk, so this is a real Path; the data
    # is read with pathlib throughout (rglob, glob, model files opened by path).
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return _SOURCE_ROOT / name


def patterns_dir() -> Path:
    """patterns/, without which nothing runs: a broken install says so at once."""
    found = data_dir("patterns")
    if not found.is_dir():
        raise FileNotFoundError(f"derek's patterns/ folder is missing (looked for {found}); reinstall derek")
    return found


def version() -> str:
    """The installed distribution's version; a bare source tree falls back to __version__."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return __version__


def build() -> str:
    """"compiled" where the per-article modules are mypyc extensions (a wheel built with
    DEREK_COMPILE=1), else "python". Told from where the pipeline would load, without loading it."""
    spec = importlib.util.find_spec("extractor.pipeline")
    origin = spec.origin if spec is not None else None
    return "python" if origin is None or origin.endswith(".py") else "compiled"
