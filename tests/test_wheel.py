"""The wheel: what it holds, and that, installed in a fresh environment, derek runs from any
folder with its patterns and models read from the installed package."""

from __future__ import annotations

import csv
import importlib.metadata
import tomllib
import zipfile
from pathlib import Path

import pytest

import extractor
from extractor import resources
from extractor.cli import main
from tests.wheels import ROOT, build_wheel, fresh_venv, run

KK = "Түркістан облысында 2023 жылы 157,7 мың адам атаулы әлеуметтік көмек алды."
RU = "В Карагандинской области в 2023 году построили 1 200 квартир."
NOT_SHIPPED = ("kk/ner.pt", "kk/ner.json")  # trained and scored, never loaded by the tagger


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("dist"))


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _tree(folder: Path) -> set[str]:
    files = (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return {p.relative_to(folder).as_posix() for p in files}


def test_the_wheel_holds_the_code_the_patterns_and_the_tagger_models(wheel: Path) -> None:
    names = _names(wheel)
    code = {f"extractor/{name}" for name in _tree(ROOT / "extractor") if name.endswith(".py")}
    assert code <= names, sorted(code - names)
    patterns = {f"extractor/_data/patterns/{name}" for name in _tree(ROOT / "patterns")}
    assert patterns <= names, sorted(patterns - names)
    models = {name for name in _tree(ROOT / "models") if not name.endswith(NOT_SHIPPED)}
    assert {f"extractor/_data/models/{name}" for name in models} <= names
    assert not any(name.endswith(NOT_SHIPPED) for name in names)
    assert not any(name.startswith(("patterns/", "models/", "tests/")) for name in names)
    info = wheel.name.split("-py")[0] + ".dist-info"  # derek-<version>.dist-info
    assert {f"{info}/licenses/LICENSE", f"{info}/licenses/models/LICENSE"} <= names


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fresh_venv(wheel, tmp_path_factory.mktemp("venv"))


def test_the_installed_package_is_the_one_imported_and_finds_its_data(venv: Path, tmp_path: Path) -> None:
    probe = (
        "import extractor, extractor.resources as r, extractor.models as m;"
        "print(extractor.__file__); print(r.patterns_dir()); print(m.BUNDLED)"
    )
    lines = run([str(venv / "bin" / "python"), "-c", probe], tmp_path).splitlines()
    for line in lines:
        assert Path(line).resolve().is_relative_to(venv.resolve()), lines
    assert Path(lines[1]).name == "patterns" and (Path(lines[1]) / "document.yaml").is_file()
    assert Path(lines[2]).is_dir()


def test_derek_from_the_wheel_explains_extracts_runs_and_lists_models(venv: Path, tmp_path: Path) -> None:
    derek = str(venv / "bin" / "derek")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert run([derek, "--version"], tmp_path).strip() == f"derek {version}"

    explained = run([derek, "explain", KK, "--lang", "kk", "--published", "2024-01-15"], tmp_path)
    assert "value 157700 person" in explained and "KZ-61" in explained, explained

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "kk.txt").write_text(KK + "\n", encoding="utf-8")
    (articles / "ru.txt").write_text(RU + "\n", encoding="utf-8")
    run([derek, "extract", "articles", "-o", "out"], tmp_path)
    with open(tmp_path / "out" / "records.csv", encoding="utf-8", newline="") as f:
        found = {(r["doc_id"], r["region_code"], r["unit"], float(r["value"])) for r in csv.DictReader(f)}
    assert found == {("kk", "KZ-61", "person", 157700.0), ("ru", "KZ-35", "apartment", 1200.0)}

    summary = run([derek, "run", "articles", "--store", "store"], tmp_path)
    assert "2 documents new" in summary and "2 records in the dataset" in summary, summary
    assert (tmp_path / "store" / "records.csv").is_file()

    listed = run([derek, "models"], tmp_path)
    assert str(venv.resolve()) in listed or str(venv) in listed, listed
    for model in ("kk/tokenize", "kk/pos", "kk/lemma", "ru/tokenize", "ru/pos", "ru/lemma"):
        assert model in listed, listed
    assert "kk/ner" not in listed


def test_version_flag_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"derek {importlib.metadata.version('derek')}"
    # the package's own __version__ and the distribution's agree
    assert extractor.__version__ == resources.version() == importlib.metadata.version("derek")


def test_from_the_source_tree_the_data_is_read_where_it_lies() -> None:
    assert resources.patterns_dir() == ROOT / "patterns"
    assert resources.build() == "python"  # the source tree is never compiled
    assert resources.data_dir("models") == ROOT / "models"
