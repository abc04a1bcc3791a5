"""The bundled Stanza models: they load offline, tag both languages, and help the seeds.

Marked `models`: they load real models (a few seconds each); pattern tests never do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import extract_files
from extractor.cli import main
from extractor.evaluate import Score, evaluate, read_gold
from extractor.models import BUNDLED, languages_with_tagger
from extractor.tagging import StanzaTagger, Tagged

from .conftest import SHARED

pytestmark = pytest.mark.models


def _words(lang: str, text: str) -> dict[str, Tagged]:
    [sentences] = StanzaTagger(BUNDLED).tag(lang, [text])
    words = [w for s in sentences for w in s.words]
    for word in words:
        assert text[word.start : word.end].strip() == text[word.start : word.end]  # offsets are exact
    return {text[w.start : w.end]: w for w in words}


def test_both_languages_are_bundled() -> None:
    assert languages_with_tagger(BUNDLED) == ["kk", "ru"]


def test_kazakh_numbers_are_num_and_lemmas_drop_case_endings() -> None:
    words = _words("kk", "Өткен жылы ауданда 157,7 мың адамға көмек көрсетілді.")
    assert words["157,7"].upos == "NUM"
    assert words["адамға"].lemma == "адам"


def test_russian_lemmas_are_dictionary_forms() -> None:
    words = _words("ru", "В районе помощь получили 5 тысяч семей.")
    assert words["семей"].lemma == "семья"
    assert words["получили"].upos == "VERB"


def test_models_command_shows_the_held_out_scores(capsys) -> None:
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    for name in ("kk/tokenize", "kk/pos", "kk/lemma", "ru/tokenize", "ru/pos", "ru/lemma"):
        assert name in out
    assert "upos" in out


def _faults(score: Score) -> set[str]:
    """What is wrong in a scoring: missed or extra figures, wrong attributes."""
    missed = {f"miss {m['doc']} {m['value']} {m['unit']}" for m in score.misses}
    extra = {f"extra {e['doc_id']} {e['value']} {e['unit']}" for e in score.extras}
    return missed | extra | {w.split(" gold=")[0] for w in score.wrong}


def test_with_stanza_every_seed_figure_is_at_least_as_good(seeds_dir: Path) -> None:
    gold = read_gold(SHARED / "gold" / "seeds.csv")
    without = _faults(evaluate(gold, extract_files(seeds_dir, tagger="none")))
    with_stanza = _faults(evaluate(gold, extract_files(seeds_dir, tagger="stanza")))
    assert with_stanza <= without, with_stanza - without


def test_the_nightly_job_runs_with_stanza_and_records_its_models(tmp_path: Path) -> None:
    import sqlite3

    from extractor.nightly import RunOptions, run

    from .conftest import CORPUS

    summary = run(RunOptions(inputs=[str(CORPUS)], store=tmp_path, tagger="stanza", progress=False))
    assert summary.tagger == "stanza" and summary.failed == 0 and summary.records > 150
    with sqlite3.connect(tmp_path / "derek.sqlite") as conn:
        tagger, models_hash = conn.execute("SELECT tagger, models_hash FROM runs").fetchone()
    assert tagger == "stanza" and len(models_hash) == 16


def test_none_is_the_default_and_stanza_is_there_on_request() -> None:
    from extractor.tagging import make_tagger

    assert make_tagger(None).name == "none"
    assert make_tagger("stanza").name == "stanza"
