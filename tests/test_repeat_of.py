"""repeat_of: a figure stated twice in one document points back to its first statement."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from extractor import extract_text
from extractor.cli import main

ARTICLE = {
    "kk": (
        "Облыста 12 400 адам атаулы көмек алды\n\n"
        "2024 жылы Жамбыл облысында 12 400 адам атаулы әлеуметтік көмек алды. "
        "Оларға 2,1 млрд теңге төленді.\n\n"
        "Басқарма басшысы жыл қорытындысында тағы да атап өтті: 2024 жылы облыста 12 400 адам "
        "атаулы әлеуметтік көмек алды."
    ),
    "ru": (
        "АСП в области получили 9 300 человек\n\n"
        "В 2024 году в Костанайской области адресную социальную помощь получили 9 300 человек. "
        "На выплаты направлено 1,4 млрд тенге."
    ),
}


def test_a_title_repeating_the_body_is_marked_and_the_first_mention_is_not() -> None:
    for lang, text in ARTICLE.items():
        records = extract_text(text, lang=lang, published="2025-02-01", tagger="none")
        people = [r for r in records if r.unit == "person"]
        assert len(people) >= 2, (lang, records)
        first, *later = people
        assert first.repeat_of == ""
        assert all(r.repeat_of == first.record_id for r in later), lang
        money = [r for r in records if r.unit == "KZT"]
        assert money and all(r.repeat_of == "" for r in money)


def test_a_different_year_or_value_is_not_a_repeat() -> None:
    text = (
        "Жұмыспен қамту\n\n2023 жылы облыста 5 000 адам жұмысқа орналасты. "
        "2024 жылы облыста 5 000 адам жұмысқа орналасты. Биыл 5 100 адам жұмысқа орналасты."
    )
    records = extract_text(text, lang="kk", published="2025-06-01", tagger="none")
    assert [r.repeat_of for r in records] == ["", "", ""], records


def test_repeat_of_reaches_every_output_and_the_store(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "repeat.txt").write_text("date 2025-02-01\n" + ARTICLE["kk"], encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(source), "--store", str(out), "--tagger", "none", "--workers", "1"]) == 0
    csv = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
    parquet = pd.read_parquet(out / "records.parquet")
    assert main(["export", "--store", str(out), "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    jsonl = [r["repeat_of"] or "" for r in lines]
    for rows in (csv["repeat_of"].tolist(), parquet["repeat_of"].fillna("").tolist(), jsonl):
        assert rows == csv["repeat_of"].tolist()
    marked = set(csv["repeat_of"]) - {""}
    assert len(marked) == 1 and (csv["repeat_of"] != "").sum() == 2  # title and body: two later mentions
    assert marked <= set(csv["record_id"])
