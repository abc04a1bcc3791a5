"""The generated district gazetteer: in sync with ../shared/data, names parsed with care."""

from __future__ import annotations

import sys

import pytest
import yaml

from extractor.places import gazetteer

from .conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "scripts"))
import build_districts  # noqa: E402


def _rules(lang: str) -> dict:
    path = ROOT / "patterns" / lang / "regions.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["districts"]


def test_the_generated_files_are_in_sync_with_the_csv() -> None:
    if not (SHARED / "data" / "districts.csv").is_file():
        pytest.skip("../shared/data is not here")
    sys.argv = ["build_districts.py", "--check"]
    assert build_districts.main() == 0, "run scripts/build_districts.py"


def test_former_names_keep_names_and_drop_notes() -> None:
    cell = (
        "former KATO 632800000 (ВКО, until the 2022-06-08 split) [G18]; г. Семипалатинск (city "
        "renamed Семей 2007) [MEM]; Джангельдинский / Джангильдинский район (old transcription) [AR]; "
        "Тарановский район / Таран ауданы (renamed 2019) [AR,WEB]; Ленинский район [MEM]"
    )
    assert build_districts.former_names(cell, _rules("ru")) == [
        "г. Семипалатинск",
        "Джангельдинский район",
        "Джангильдинский район",
        "Тарановский район",
    ]
    assert build_districts.former_names(cell, _rules("kk")) == ["Таран ауданы"]


def test_case_forms_follow_the_rules() -> None:
    assert "Таразе" in build_districts.case_forms("Тараз", _rules("ru"))
    assert "Семее" in build_districts.case_forms("Семей", _rules("ru"))
    assert "Рудном" in build_districts.case_forms("Рудный", _rules("ru"))
    assert "Кокшетау" in build_districts.case_forms("Кокшетау", _rules("ru"))
    assert "Екібастұзда" in build_districts.case_forms("Екібастұз", _rules("kk"))


def test_every_unit_has_a_region_and_a_named_term() -> None:
    gaz = gazetteer()
    assert len(gaz.units) == 209
    assert {u.region for u in gaz.units.values()} <= set(gaz.names)
    assert sum(u.kind == "centre" for u in gaz.units.values()) == 17


def test_common_words_are_never_bare_names() -> None:
    gaz = gazetteer()
    from extractor.tokens import tokenize

    for word in ("семей", "Семей", "Балқаш", "Абай"):
        assert gaz.districts.bare.match_at(tokenize(word), 0, word) is None, word
