"""`derek export --format spacy`: the store's records as a DocBin, spans["figures"] labelled by
indicator; with --reviewed, the figures editors confirmed, corrected or added."""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from spacy.tokens import DocBin  # noqa: E402

from extractor.cli import main  # noqa: E402
from extractor.integrations.spacy import lang_kk  # noqa: E402, F401  (registers kk without entry points)
from extractor.integrations.spacy.export import UNLABELLED  # noqa: E402
from extractor.review.decisions import add_missed, decide  # noqa: E402
from extractor.store import Store  # noqa: E402

ARTICLES = {
    "kk_aek.txt": "Облыстағы көмек\n2023 жылы облыста 84,2 мың адам атаулы әлеуметтік көмек алды. "
    "Оған 3,8 млрд теңге бөлінді. Облыста жұмыссыздық 4,1%/жыл болды.",
    "ru_asp.txt": "Выплаты АСП\nВ 2023 году в Жамбылской области адресную социальную помощь "
    "получили 21 500 человек "
    "на 3,1 млрд тенге. В области открыли дюжину школ. Построено 7 мостов.",
    "kk_empty.txt": "Жаңалықтар\nБүгін ауа райы жақсы болды.",
}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, text in ARTICLES.items():
        (inputs / name).write_text(text, encoding="utf-8")
    folder = tmp_path / "store"
    assert main(["run", str(inputs), "--store", str(folder), "--workers", "1", "--no-progress"]) == 0
    return folder


def _load(path: Path) -> dict[str, object]:
    docs = DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab)
    return {doc.user_data["doc_id"]: doc for doc in docs}


def _records(folder: Path):
    store = Store(folder)
    try:
        return store.records_frame()
    finally:
        store.close()


def test_export_spacy_writes_every_record_as_a_span_labelled_by_indicator(store: Path, capsys) -> None:
    target = store.parent / "train.spacy"
    capsys.readouterr()
    assert main(["export", "--store", str(store), "--format", "spacy", "-o", str(target)]) == 0
    assert f"wrote {target} (3 documents, " in capsys.readouterr().out
    docs = _load(target)
    assert set(docs) == {"kk_aek", "ru_asp", "kk_empty"}  # a document without figures is a negative example
    assert len(docs["kk_empty"].spans["figures"]) == 0
    records = _records(store)
    assert len(records) >= 5
    for doc_id, rows in records.groupby("doc_id"):
        doc = docs[doc_id]
        spans = list(doc.spans["figures"])
        assert [s.id_ for s in spans] == list(rows["record_id"])
        for span, row in zip(spans, rows.itertuples(), strict=True):
            assert span.label_ == (row.indicator or UNLABELLED)
            assert span.start_char <= row.char_start and span.end_char >= row.char_end
            assert doc.text[row.char_start : row.char_end] == row.value_text
    labels = {s.label_ for doc in docs.values() for s in doc.spans["figures"]}
    assert {"social_assistance.recipients", "social_assistance.budget", UNLABELLED} <= labels
    # tokenized for each document's language: «4,1%/жыл» is a token of the Kazakh text
    assert any(s.text == "4,1%/жыл" for s in docs["kk_aek"].spans["figures"])


def test_export_spacy_reviewed_keeps_confirmed_fixed_and_added_figures(store: Path, capsys) -> None:
    records = _records(store).set_index("value_text")
    right = records.loc["84,2 мың адам", "record_id"]
    fixed = records.loc["3,8 млрд теңге", "record_id"]
    wrong = records.loc["21 500 человек", "record_id"]
    opened = Store(store)
    try:
        decide(opened, right, "right", "editor")
        decide(opened, fixed, "fix", "editor", {"indicator": "social_support.budget"})
        decide(opened, wrong, "wrong", "editor")
        doc_key = opened.doc_key_of("ru_asp")
        text = opened.document_text(doc_key)[1]
        start = text.index("дюжину школ")  # a figure the extractor does not read
        end = start + len("дюжину школ")
        added = add_missed(opened, doc_key, start, end, {"value": 12, "unit": "school"}, "editor")
    finally:
        opened.close()
    assert main(["export", "--store", str(store), "--format", "spacy", "--reviewed"]) == 0
    assert "(2 documents, 3 figures)" in capsys.readouterr().out  # «7 мостов»: not reviewed
    docs = _load(store / "records_reviewed.spacy")
    assert set(docs) == {"kk_aek", "ru_asp"}
    found = {(s.id_, s.text, s.label_) for doc in docs.values() for s in doc.spans["figures"]}
    assert found == {
        (right, "84,2 мың адам", "social_assistance.recipients"),
        (fixed, "3,8 млрд теңге", "social_support.budget"),  # the editor's indicator
        (added.record_id, "дюжину школ", UNLABELLED),
    }


def test_export_spacy_names_documents_whose_text_is_not_stored(store: Path, capsys) -> None:
    opened = Store(store)
    try:
        opened.conn.execute("DELETE FROM texts WHERE doc_key = ?", (opened.doc_key_of("ru_asp"),))
    finally:
        opened.close()
    capsys.readouterr()
    assert main(["export", "--store", str(store), "--format", "spacy"]) == 0
    out = capsys.readouterr().out
    assert "(2 documents," in out and "1 documents have no stored text: run `derek run` again" in out
    assert set(_load(store / "records.spacy")) == {"kk_aek", "kk_empty"}
