"""`derek explain` and `derek eval` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from extractor.cli import main

from .conftest import CORPUS


def test_explain_shows_value_unit_year_indicator_and_patterns(capsys) -> None:
    text = "2023 жылы облыста 84,2 мың адам атаулы әлеуметтік көмек алды."
    assert main(["explain", text, "--lang", "kk", "--published", "2024-01-15", "--tagger", "none"]) == 0
    out = capsys.readouterr().out
    assert "value 84200 person" in out
    assert "year 2023" in out
    assert "social_assistance.recipients" in out
    assert "kk.numbers.scales:мың*" in out and "kk.units.person:адам*" in out


def test_explain_resolves_relative_years_and_regions(capsys) -> None:
    text = "В прошлом году в Жамбылской области АСП выплачена 48 300 жителям на 3,1 млрд тенге."
    assert main(["explain", text, "--published", "2024-05-01", "--tagger", "none"]) == 0
    out = capsys.readouterr().out
    assert out.count("region KZ-31 Zhambyl Region") == 2
    assert out.count("year 2023") == 2
    assert "value 48300 person" in out
    assert "value 3.1e+09 KZT" in out and "social_assistance.budget" in out


def test_eval_prints_scores_then_misses(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS), "-o", str(out), "--tagger", "none"]) == 0
    capsys.readouterr()
    assert main(["eval", str(CORPUS / "expected"), str(out / "records.csv")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("figures: gold")
    assert lines[1].startswith("precision")
    assert lines[-1].startswith("summary: P")
