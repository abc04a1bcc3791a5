"""The compiled build (DEREK_COMPILE=1, mypyc): every compiled module is in the wheel, and what
it extracts is what the Python source extracts, record by record and row by row, on the corpus,
the seeds, real Kazakh and Russian sentences, bad files and random texts."""

from __future__ import annotations

import ast
import csv
import importlib.util
import json
import random
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from bench.fuzz import random_text
from tests.conftest import CORPUS, SHARED
from tests.wheels import ROOT, build_wheel, fresh_venv, run, setuptools_can_build

# Run by both interpreters: prints which build it imported, then every row it extracted.
CHILD = """
import json, sys
from dataclasses import astuple
import extractor.pipeline
from extractor.api import extract_text, run_files
from extractor.resources import build
texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
rows = []
records, manifest = run_files(sorted(sys.argv[2:]), "none")
rows += [astuple(r) for r in records]
rows += [(m.doc_id, m.status, m.records, m.error, m.lang, m.sha256) for m in manifest]
for n, text in enumerate(texts):
    for lang in ("kk", "ru"):
        rows += [astuple(r) for r in extract_text(text, lang=lang, doc_id=f"{lang}{n}", tagger="none")]
print(json.dumps({"pipeline": extractor.pipeline.__file__, "build": build(), "rows": rows}))
"""


def _compiled_list() -> list[str]:
    """setup.py's COMPILED, read without running setup()."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED":
            return list(ast.literal_eval(node.value))
    raise AssertionError("setup.py names no COMPILED modules")


def _can_compile() -> bool:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    mypyc = importlib.util.find_spec("mypyc") is not None
    return bool(shutil.which(compiler)) and headers.is_file() and mypyc and setuptools_can_build()


needs_compiler = pytest.mark.skipif(
    not _can_compile(), reason="no C compiler, Python headers, mypy (the compile extra) or setuptools ≥ 77"
)


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="no mypy (the compile extra)")
def test_the_compiled_modules_type_check(tmp_path: Path) -> None:
    """Compiled code checks type hints at run time, and mypyc refuses a module mypy rejects:
    told here in seconds, where no compiler is at hand too."""
    command = [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--cache-dir", str(tmp_path)]
    done = subprocess.run([*command, *_compiled_list()], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("dist"), compiled=True)


@needs_compiler
def test_the_compiled_wheel_holds_every_compiled_module_beside_its_source(wheel: Path) -> None:
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert f"-{tag}-{tag}-" in wheel.name, wheel.name  # a platform wheel, not py3-none-any
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    for module in _compiled_list():
        stem = module.removesuffix(".py")
        assert any(n.startswith(f"{stem}.cpython-") and n.endswith(".so") for n in names), module
        assert module in names  # tracebacks and `explain` still show the source
    assert not any(n.startswith("extractor/cli.cpython-") for n in names)  # only what each article runs


def _awkward_inputs(folder: Path) -> list[Path]:
    """Files of the kinds a night brings: bad encodings and feeds, binary, empty, huge numbers."""
    folder.mkdir()
    feed = [
        {"id": "s", "text": "Алматы облысында 2023 жылы 12 мың адам көмек алды \udc00.", "lang": "kk"},
        {"id": "t", "text": 5},
        {"id": "s", "text": "В Астане в 2024 году выдано 3,5 млрд тенге."},
        {"id": {"x": 1}, "text": "…"},
    ]
    lines = [json.dumps(item, ensure_ascii=True) for item in feed] + ['{"id": "n", "text": NaN}', "{broken"]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cyrillic = "В Костанайской области в 2023 году 8 тысяч семей.\n"
    (folder / "cp1251.txt").write_bytes(cyrillic.encode("cp1251"))
    digits = "В 2023 году " + "9" * 400 + " тенге.\n" + "1 200 квартир. " * 2000
    (folder / "digits.txt").write_text(digits, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "paper.pdf").write_bytes(b"%PDF-1.4")
    return [folder]


def _real_sentences() -> list[str]:
    """Real Kazakh and Russian sentences (UD treebanks, KazNERD), in blocks of 20, where present."""
    texts: list[str] = []
    for path in sorted((SHARED / "ud").glob("*/*.conllu")):
        sentences = [line[9:].strip() for line in path.open(encoding="utf-8") if line.startswith("# text = ")]
        texts += ["\n".join(sentences[k : k + 20]) for k in range(0, min(len(sentences), 400), 20)]
    ner = SHARED / "ner" / "KazNERD" / "IOB2_valid.txt"
    if ner.is_file():
        words = [line.split()[0] if line.strip() else "\n" for line in ner.open(encoding="utf-8")][:20_000]
        texts.append(" ".join(words).replace(" \n ", "\n"))
    return texts


def _extract(python: Path, cwd: Path, inputs: list[Path], texts: Path) -> dict:
    out = run([str(python), "-c", CHILD, str(texts), *map(str, inputs)], cwd, timeout=600)
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fresh_venv(wheel, tmp_path_factory.mktemp("venv"))


@needs_compiler
def test_the_compiled_build_extracts_exactly_what_the_source_does(venv: Path, tmp_path: Path) -> None:
    rng = random.Random(7)
    texts = [random_text(rng) for _ in range(300)] + _real_sentences()
    texts_file = tmp_path / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=True), encoding="utf-8")
    inputs = [CORPUS, *_awkward_inputs(tmp_path / "awkward")]
    if (SHARED / "seeds").is_dir():
        inputs.append(SHARED / "seeds")

    source = _extract(Path(sys.executable), ROOT, inputs, texts_file)
    compiled = _extract(venv / "bin" / "python", tmp_path, inputs, texts_file)

    assert source["pipeline"].endswith(".py") and Path(source["pipeline"]).is_relative_to(ROOT)
    assert compiled["pipeline"].endswith(".so"), compiled["pipeline"]
    assert (source["build"], compiled["build"]) == ("python", "compiled")
    assert len(source["rows"]) > 500  # the corpus alone gives hundreds of records
    for ours, theirs in zip(source["rows"], compiled["rows"], strict=True):
        assert ours == theirs


@needs_compiler
def test_the_compiled_nightly_run_uses_workers_and_stops_a_file_at_its_time_limit(
    venv: Path, tmp_path: Path
) -> None:
    """Worker processes send compiled records back, and the time limit still interrupts a
    file whose work runs in compiled code."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    article = (CORPUS / "ru_kz_gsp_overview.txt").read_text(encoding="utf-8")
    (inputs / "big.txt").write_text("\n\n".join([article] * 600), encoding="utf-8")  # seconds of work
    for name in ("ru_kz_gsp_overview.txt", "kk_atyrau_aleumettik.html"):
        shutil.copy(CORPUS / name, inputs / name)
    derek = str(venv / "bin" / "derek")
    assert run([derek, "--version"], tmp_path).strip().endswith("(compiled)")
    run([derek, "run", "in", "--store", "store", "--workers", "2", "--file-timeout", "0.5"], tmp_path)
    with open(tmp_path / "store" / "documents.csv", encoding="utf-8", newline="") as f:
        status = {row["doc_id"]: row["status"] for row in csv.DictReader(f)}
    assert status == {"big": "timeout", "ru_kz_gsp_overview": "ok", "kk_atyrau_aleumettik": "ok"}
    run([sys.executable, "-m", "extractor.cli", "extract", str(inputs / "ru_kz_gsp_overview.txt"),
         str(inputs / "kk_atyrau_aleumettik.html"), "-o", str(tmp_path / "source")], ROOT)  # fmt: skip
    with open(tmp_path / "store" / "records.csv", encoding="utf-8", newline="") as f:
        nightly = sorted(map(tuple, csv.reader(f)))
    with open(tmp_path / "source" / "records.csv", encoding="utf-8", newline="") as f:
        extracted = sorted(map(tuple, csv.reader(f)))
    assert nightly == extracted and len(nightly) > 10
