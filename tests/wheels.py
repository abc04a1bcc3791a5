"""Building derek's wheel from a copy of the sources, and a fresh environment to install it in:
shared by the tests of the plain wheel and of the compiled one."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# what a build reads: pyproject.toml and setup.py, the files they name, the package and its data
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "extractor", "patterns", "models")


def setuptools_can_build() -> bool:
    """An offline build needs setuptools ≥ 77 here; without it pip fetches one from the index."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return major >= 77


def build_wheel(src: Path, dist: Path, compiled: bool = False) -> Path:
    """The wheel of a copy of the sources: a build in place leaves build/ behind, and stale
    files there get into wheels."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so"))
        else:
            shutil.copy2(source, src / name)
    command = [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-w", str(dist), "-q"]
    if compiled or setuptools_can_build():  # compiled: mypyc is found in this environment
        command += ["--no-build-isolation", "--no-index"]
    env = clean_env() | ({"DEREK_COMPILE": "1"} if compiled else {})
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    [built] = dist.glob("derek-*.whl")
    return built


def fresh_venv(wheel: Path, env: Path) -> Path:
    """A fresh environment with the wheel installed. Its dependencies come from this environment
    through a .pth file, which only appends to sys.path: the installed copy of `extractor` comes
    first, and the editable install of the source tree is never activated (its own .pth files
    in this site-packages are not read)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], env)
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(purelib.strip()) / "derek_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    install = [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q"]
    run([*install, str(wheel)], env)
    return env


_NOT_PASSED = ("PYTHONPATH", "VIRTUAL_ENV", "DEREK_MODELS", "DEREK_COMPILE")


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def run(command: list[str], cwd: Path, timeout: int = 120) -> str:
    done = subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout
