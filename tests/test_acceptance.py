"""Acceptance: the seeds against their gold, and corpus/ against its expected files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extractor import extract_files
from extractor.evaluate import Score, evaluate, read_gold

from .conftest import CORPUS, SHARED

THRESHOLDS = {"region": 0.95, "year": 0.90, "indicator": 0.85, "status": 0.85}
TAGGERS = ["none", pytest.param("stanza", marks=pytest.mark.models)]


def _score(inputs: Path, gold: Path, tagger: str) -> tuple[Score, pd.DataFrame]:
    records = extract_files(inputs, tagger=tagger)
    return evaluate(read_gold(gold), records), records


def _assert_thresholds(score: Score) -> None:
    assert score.precision >= 0.95, score.extras
    assert score.recall >= 0.95, score.misses
    for name, minimum in THRESHOLDS.items():
        assert score.rate(name) >= minimum, (name, score.wrong)


@pytest.mark.seeds
@pytest.mark.parametrize("tagger", TAGGERS)
def test_seeds_meet_the_acceptance_thresholds(seeds_dir: Path, tagger: str) -> None:
    score, _ = _score(seeds_dir, SHARED / "gold" / "seeds.csv", tagger)
    _assert_thresholds(score)


@pytest.mark.parametrize("tagger", TAGGERS)
def test_corpus_meets_the_acceptance_thresholds(tagger: str) -> None:
    score, _ = _score(CORPUS, CORPUS / "expected", tagger)
    _assert_thresholds(score)


def test_corpus_is_balanced_and_annotated() -> None:
    records = extract_files(CORPUS, tagger="none")
    manifest = records.attrs["manifest"]
    assert (manifest["status"] == "ok").all(), manifest
    langs = manifest["lang"].value_counts()
    assert langs.get("kk", 0) >= 6 and langs.get("ru", 0) >= 6, langs
    expected = {p.stem for p in (CORPUS / "expected").glob("*.csv")}
    assert set(manifest["doc_id"]) == expected
    regions = read_gold(CORPUS / "expected")["region_code"]
    assert regions.nunique() >= 10


def _offsets_hold(paths: list[Path], tagger: str) -> int:
    """text[char_start:char_end] == value_text for every record, on the text as read."""
    from extractor.api import extract_article
    from extractor.reader import Article, input_files, read_file

    checked = 0
    for path in input_files(paths):
        for article in read_file(path):
            assert isinstance(article, Article), article
            records, _ = extract_article(article, tagger)
            for r in records:
                assert article.text[r.char_start : r.char_end] == r.value_text, r
                assert r.value_text in r.sentence
                checked += 1
    return checked


@pytest.mark.parametrize("tagger", TAGGERS)
def test_offsets_are_exact_on_the_corpus(tagger: str) -> None:
    assert _offsets_hold([CORPUS], tagger) > 100


@pytest.mark.seeds
@pytest.mark.parametrize("tagger", TAGGERS)
def test_offsets_are_exact_on_the_seeds(seeds_dir: Path, tagger: str) -> None:
    assert _offsets_hold([seeds_dir], tagger) > 50


@pytest.mark.parametrize("tagger", TAGGERS)
def test_record_ids_are_stable_across_runs(tagger: str) -> None:
    first = extract_files(CORPUS, tagger=tagger)["record_id"].tolist()
    again = extract_files(CORPUS, tagger=tagger)["record_id"].tolist()
    assert first == again and len(set(first)) == len(first)
