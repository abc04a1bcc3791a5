"""The tagging stage without models: lemma-aware lexicons, re-splitting, model store errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from extractor.api import extract_text
from extractor.cli import main
from extractor.document import Document, Sentence, lay_out
from extractor.langdata import load_language
from extractor.models import ModelsMissing, describe, installed, languages_with_tagger, tagger_models
from extractor.tagging import NoTagger, Tagged, TaggedSentence, make_tagger, tag_sentences
from extractor.terms import TermSet
from extractor.tokens import tokenize

from .conftest import CORPUS


class ListTagger:
    """Answers with prepared tags: lets the stage be tested without a model."""

    name = "list"

    def __init__(self, answer: Sequence[list[TaggedSentence]]) -> None:
        self.answer = list(answer)
        self.asked: list[str] = []

    def tag(self, lang: str, texts: Sequence[str]) -> list[list[TaggedSentence]]:
        self.asked.extend(texts)
        return [self.answer.pop(0) for _ in texts]


def test_a_cue_term_matches_a_lemma_as_well_as_a_form() -> None:
    cues = TermSet([("recipients", "получатель")], lemmas=True)
    text = "получателей много"
    tokens = tokenize(text)
    assert cues.find_all(tokens, text) == []
    tagged = [tokens[0]._replace(lemma="получатель"), tokens[1]]
    [match] = cues.find_all(tagged, text)
    assert (match.label, match.start, match.end) == ("recipients", 0, len("получателей"))


def test_form_lexicons_ignore_lemmas() -> None:
    units = TermSet([("event", "шара")])  # an exact form, chosen so that «шарасы» does not match
    text = "шарасы"
    tagged = [tokenize(text)[0]._replace(lemma="шара")]
    assert units.find_all(tagged, text) == []


def test_cue_lexicons_match_lemmas() -> None:
    lang = load_language("ru")
    assert lang.concepts.lemmas and lang.status.lemmas and not lang.units.lemmas


def _has_digits(sentence: Sentence) -> bool:
    return any(t.kind == "num" for t in sentence.tokens)


def _doc(text: str, code: str) -> Document:
    return lay_out(Document(text=text, doc_id="t", source="", lang=code), load_language(code))


def test_only_sentences_with_numbers_go_to_the_tagger() -> None:
    doc = _doc("Заголовок без цифр\nПервое предложение. Выдано 120 пособий.", "ru")
    tagger = ListTagger([[]])
    tag_sentences(doc.text, doc.sentences, tagger, load_language("ru"), _has_digits)
    assert tagger.asked == ["Выдано 120 пособий."]


def _last_sentence(text: str) -> tuple[Document, str]:
    doc = _doc(text, "ru")
    sentence = doc.sentences[-1]
    return doc, text[sentence.start : sentence.end]


def test_tags_attach_by_offset_and_a_stanza_boundary_splits_the_sentence() -> None:
    text = "Title\nВыдано 120 пособий в области. итого 5 семей."
    doc, body = _last_sentence(text)
    second = body.index("итого")
    answer = [
        [
            TaggedSentence(0, second - 1, (Tagged(0, 6, "VERB", "выдать"), Tagged(7, 10, "NUM", "120"))),
            TaggedSentence(second, len(body), (Tagged(second, second + 5, "ADV", "итого"),)),
        ]
    ]
    result = tag_sentences(text, doc.sentences, ListTagger(answer), load_language("ru"), _has_digits)
    first, last = result[-2], result[-1]
    assert text[first.start : first.end] == "Выдано 120 пособий в области."
    assert text[last.start : last.end] == "итого 5 семей."
    assert (first.tokens[0].lemma, first.tokens[0].upos, first.tokens[1].upos) == ("выдать", "VERB", "NUM")
    assert first.tokens[2].lemma == ""  # a word the tagger did not return stays as it was


def test_a_stanza_boundary_after_an_abbreviation_is_refused() -> None:
    text = "Title\nВыделено 75 млн. тенге на 3 школы."
    doc, body = _last_sentence(text)
    cut = body.index("тенге")
    answer = [[TaggedSentence(0, cut - 1, ()), TaggedSentence(cut, len(body), ())]]
    result = tag_sentences(text, doc.sentences, ListTagger(answer), load_language("ru"), _has_digits)
    assert len(result) == len(doc.sentences)


def test_no_tagger_leaves_sentences_alone() -> None:
    doc = _doc("Title\nВыдано 120 пособий.", "ru")
    assert (
        tag_sentences(doc.text, doc.sentences, NoTagger(), load_language("ru"), _has_digits) == doc.sentences
    )


def _fake_set(folder: Path, lang: str, parts: Sequence[str]) -> None:
    (folder / lang).mkdir(parents=True)
    for part in parts:
        (folder / lang / f"{part}.pt").write_bytes(b"x")
        manifest = {"file": f"{part}.pt", "date": "2026-01-01", "scores": {"upos": 90.0}}
        (folder / lang / f"{part}.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_the_store_lists_complete_languages_only(tmp_path: Path) -> None:
    _fake_set(tmp_path, "xx", ["tokenize", "pos", "lemma"])
    _fake_set(tmp_path, "yy", ["tokenize"])
    assert languages_with_tagger(tmp_path) == ["xx"]
    assert {(i.lang, i.part) for i in installed(tmp_path)} == {
        ("xx", "tokenize"),
        ("xx", "pos"),
        ("xx", "lemma"),
        ("yy", "tokenize"),
    }
    assert "xx/pos" in describe(tmp_path) and "upos 90.0" in describe(tmp_path)
    with pytest.raises(ModelsMissing, match=r"pos/lemma model for 'yy'.*derek models download"):
        tagger_models(tmp_path, "yy")


def test_asking_for_stanza_without_models_is_a_clear_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(ModelsMissing, match="derek models download"):
        make_tagger("stanza", tmp_path)
    assert make_tagger(None, tmp_path).name == "none"  # no models: the default is stated, not stanza
    code = main(
        ["extract", str(CORPUS), "-o", str(tmp_path / "out"), "--tagger", "stanza", "--models", str(tmp_path)]
    )
    assert code == 3
    assert "derek models download" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_models_command_lists_a_folder(tmp_path: Path, capsys) -> None:
    _fake_set(tmp_path, "xx", ["tokenize", "pos", "lemma"])
    assert main(["models", "--models", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "xx/tokenize" in out and "xx/lemma" in out


def test_models_download_writes_manifests_for_what_stanza_fetched(tmp_path: Path, monkeypatch) -> None:
    stanza = pytest.importorskip("stanza")

    def fake_download(lang: str, model_dir: str, processors: str, verbose: bool) -> None:
        # what stanza.download leaves on disk: resources.json and one file per processor
        folder = Path(model_dir)
        default = {part: {"package": "pkg"} for part in processors.split(",")}
        (folder / "resources.json").write_text(json.dumps({lang: {"default_processors": default}}))
        for part in processors.split(","):
            (folder / lang / part).mkdir(parents=True, exist_ok=True)
            (folder / lang / part / "pkg.pt").write_bytes(b"model")

    monkeypatch.setattr(stanza, "download", fake_download)
    assert main(["models", "download", "--models", str(tmp_path), "--lang", "kk"]) == 0
    assert languages_with_tagger(tmp_path) == ["kk"]
    manifest = json.loads((tmp_path / "kk" / "pos.json").read_text(encoding="utf-8"))
    assert manifest["file"] == "pos/pkg.pt" and manifest["loader"] == "resources"


def test_the_pipeline_tags_only_sentences_holding_a_candidate_figure() -> None:
    text = "Заголовок\nВ 2023 году прошёл форум. Справки с 10:00 до 18:00. Выдано 120 пособий на 5 млн тенге."
    tagger = ListTagger([[]] * 5)
    extract_text(text, lang="ru", tagger=tagger)
    assert tagger.asked == ["Выдано 120 пособий на 5 млн тенге."]


def test_a_unit_word_the_tagger_calls_a_name_is_not_a_unit() -> None:
    text = "Заголовок\nВ 2024 году 300 семей получили жильё."

    def answer(upos: str) -> list[list[TaggedSentence]]:
        body = "В 2024 году 300 семей получили жильё."
        start = body.index("семей")
        return [[TaggedSentence(0, len(body), (Tagged(start, start + 5, upos, "семья"),))]]

    as_noun = extract_text(text, lang="ru", tagger=ListTagger(answer("NOUN")))
    as_name = extract_text(text, lang="ru", tagger=ListTagger(answer("PROPN")))
    assert [(r.value, r.unit) for r in as_noun] == [(300.0, "family")]
    assert as_name == []
