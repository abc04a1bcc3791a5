"""A small store for the desk's tests: two corpus articles, an empty file, and a hostile feed
article whose title, text and address hold markup and script, as a scraped page may."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from extractor.nightly import RunOptions, run
from extractor.store import Store
from tests.conftest import CORPUS

if TYPE_CHECKING:  # Flask is imported where a client is made
    from flask.testing import FlaskClient

ARTICLES = ("kk_akmola_aek_brifing.txt", "ru_bns_poverty_regions.txt")
HOSTILE_ID = "hostile-1"
HOSTILE = {
    "id": HOSTILE_ID,
    "url": "javascript:alert(1)",
    "title": "Жамбыл облысында <script>alert(1)</script> атаулы көмек",
    "published": "2024-01-15",
    "lang": "kk",
    "text": (
        "ТАРАЗ. KAZINFORM – 2023 жылы облыста 84,2 мың адам атаулы әлеуметтік көмек алды.\r\n"
        "Биыл <img src=x onerror=alert(1)> облыста 12 400 отбасы көмек алды. "
        'Толығырақ: <a href="javascript:alert(1)">сілтеме</a>.'
    ),
}
EDITOR = "Айгүл"


def build_store(folder: Path) -> Path:
    """The articles and the hostile feed run into folder/out; returns the store folder."""
    inputs = folder / "in"
    inputs.mkdir(parents=True)
    for name in ARTICLES:
        shutil.copy(CORPUS / name, inputs / name)
    (inputs / "hostile.jsonl").write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    (inputs / "empty.txt").write_text("", encoding="utf-8")  # listed, with no text to show
    run(RunOptions(inputs=[str(inputs)], store=folder / "out", tagger="none", workers=1, progress=False))
    return folder / "out"


def copy_store(built: Path, folder: Path) -> Path:
    shutil.copytree(built, folder)
    return folder


def doc_key(store_folder: Path, doc_id: str) -> str:
    store = Store(store_folder)
    try:
        key = store.doc_key_of(doc_id)
    finally:
        store.close()
    assert key is not None
    return key


def records_of(store_folder: Path, doc_id: str) -> list[dict]:
    store = Store(store_folder)
    try:
        return store.records_of(doc_key(store_folder, doc_id))
    finally:
        store.close()


def csrf(client: FlaskClient, path: str = "/") -> str:
    """The CSRF token a page hands out (on <body data-csrf>)."""
    found = re.search(r'data-csrf="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found, "the page carries no CSRF token"
    return found.group(1)


# Fixtures of the desk's tests (registered in conftest.py): one store built per session,
# and a copy of it per test, since decisions change it.
@pytest.fixture(scope="session")
def desk_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("desk"))


@pytest.fixture
def folder(desk_built: Path, tmp_path: Path) -> Path:
    """A store of this test's own (decisions change it)."""
    return copy_store(desk_built, tmp_path / "store")


@pytest.fixture
def client(folder: Path) -> FlaskClient:
    from extractor.desk.app import create_app

    app = create_app(folder)
    app.config["TESTING"] = True
    return app.test_client()
