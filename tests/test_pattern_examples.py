"""The one generic, strict test over every language's examples.yaml (patterns/<lang>/)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extractor import extract_text
from extractor.langdata import PATTERNS_DIR, available_languages

OPTIONAL_KEYS = ("qualifier", "measure", "status")


def _examples() -> list:
    cases = []
    for code in available_languages():
        data = yaml.safe_load((PATTERNS_DIR / code / "examples.yaml").read_text(encoding="utf-8"))
        for n, item in enumerate(data["positive"]):
            cases.append(pytest.param(code, item, id=f"{code}-positive-{n}"))
        for n, text in enumerate(data["negative"]):
            cases.append(pytest.param(code, {"text": text, "expect": []}, id=f"{code}-negative-{n}"))
    return cases


def _key(value: float, unit: str) -> tuple[float, str]:
    return (round(float(value), 3), unit)


@pytest.mark.parametrize(("code", "example"), _examples())
def test_example(code: str, example: dict) -> None:
    records = extract_text(example["text"], lang=code, published=example.get("published"), tagger="none")
    found = {_key(r.value, r.unit): r for r in records}
    expected = {_key(e["value"], e["unit"]): e for e in example["expect"]}
    assert sorted(found) == sorted(expected), example["text"]
    for key, want in expected.items():
        for name in OPTIONAL_KEYS:
            if name in want:
                assert getattr(found[key], name) == want[name], (name, example["text"])


@pytest.mark.parametrize("code", available_languages())
def test_each_language_has_enough_examples(code: str) -> None:
    data = yaml.safe_load(Path(PATTERNS_DIR / code / "examples.yaml").read_text(encoding="utf-8"))
    assert len(data["positive"]) >= 150
    assert len(data["negative"]) >= 40
