"""The one generic, strict test over every language's examples (patterns/<lang>/examples*.yaml
and patterns/<lang>/examples/*.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extractor import extract_text
from extractor.langdata import PATTERNS_DIR, available_languages

OPTIONAL_KEYS = (
    "qualifier",
    "measure",
    "status",
    "value_max",
    "region_code",
    "district_code",
    "year",
    "period",
    "indicator",
)


def _files(code: str) -> list[Path]:
    folder = PATTERNS_DIR / code
    return sorted([*folder.glob("examples*.yaml"), *folder.glob("examples/*.yaml")])


def _load(code: str) -> list[tuple[str, dict]]:
    """(file name, its data) for each example file of a language."""
    return [(p.stem, yaml.safe_load(p.read_text(encoding="utf-8")) or {}) for p in _files(code)]


def _examples() -> list:
    cases = []
    for code in available_languages():
        for name, data in _load(code):
            for n, item in enumerate(data.get("positive") or []):
                cases.append(pytest.param(code, item, id=f"{code}-{name}-positive-{n}"))
            for n, text in enumerate(data.get("negative") or []):
                negative = {"text": text, "expect": []}
                cases.append(pytest.param(code, negative, id=f"{code}-{name}-negative-{n}"))
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
                got = getattr(found[key], name)
                assert _same(got, want[name]), (name, got, want[name], example["text"])


def _same(got: object, want: object) -> bool:
    if want is None or want == "":
        return got is None or got == ""
    if isinstance(want, int | float) and isinstance(got, int | float):
        return abs(float(got) - float(want)) < 1e-6
    return str(got) == str(want)


@pytest.mark.parametrize("code", available_languages())
def test_each_language_has_enough_examples(code: str) -> None:
    loaded = [data for _, data in _load(code)]
    assert sum(len(d.get("positive") or []) for d in loaded) >= 150
    assert sum(len(d.get("negative") or []) for d in loaded) >= 40
