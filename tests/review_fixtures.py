"""A small store for the review tests: a .txt in cp1251, a .txt, an .html page and a feed.

The inputs are named relative to the folder that holds them, so a copy of the folder is a
store of its own: a run in the copy reads the copy's files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.store import Store
from tests.conftest import CORPUS

INPUTS = (
    "kk_abai_granttar.txt",
    "ru_karaganda_social_cp1251.txt",
    "kk_atyrau_aleumettik.html",
    "ru_feed_regions.jsonl",  # one line holds html, the others text
)


def run_in(folder: Path) -> None:
    """`derek run in --store out` inside folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(["run", "in", "--store", "out", "--workers", "1", "--no-progress"]) == 0


def build_store(folder: Path) -> Path:
    """Inputs copied into folder/in, run into folder/out; returns the store folder."""
    source = folder / "in"
    source.mkdir(parents=True)
    for name in INPUTS:
        shutil.copy(CORPUS / name, source / name)
    run_in(folder)
    return folder / "out"


def copy_store(built: Path, folder: Path) -> Store:
    """A copy of a built store (with its inputs beside it), opened."""
    shutil.copytree(built.parent, folder, dirs_exist_ok=True)
    return Store(folder / "out")


# Fixtures of the review tests (registered in conftest.py): one store built per session, and
# an open copy of it per test.
@pytest.fixture(scope="session")
def review_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("review"))


@pytest.fixture
def store(review_built: Path, tmp_path: Path):
    opened = copy_store(review_built, tmp_path)
    yield opened
    opened.close()
