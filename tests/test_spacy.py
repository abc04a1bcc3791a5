"""derek in spaCy: the `derek` component, its entry points in a fresh process, its config,
nlp.pipe with two processes, displaCy, `derek explain --html` and the DocBin export."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from spacy import displacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from extractor.api import extract_text  # noqa: E402
from extractor.cli import main  # noqa: E402
from extractor.integrations.spacy import lang_kk  # noqa: E402, F401  (registers kk without entry points)
from extractor.integrations.spacy.component import SPAN_FIELDS, figure_label  # noqa: E402

KK = (
    "2023 жылы облыста 84,2 мың адам атаулы әлеуметтік көмек алды. Оған 3,8 млрд теңге бөлінді. "
    "Биыл 12 мың адам жұмысқа орналасты."
)
RU = (
    "В прошлом году в Жамбылской области адресную социальную помощь получили 21 500 человек "
    "на 3,1 млрд тенге."
)
# «4,1%» is a figure inside the token «4,1%/жыл»
UNALIGNED = "Облыста жұмыссыздық 4,1%/жыл болды."


@pytest.fixture(scope="module")
def nlp_kk():
    nlp = spacy.blank("kk")
    nlp.add_pipe("derek")
    return nlp


def _figures(doc, key: str = "figures") -> list[tuple]:
    return [(s.start_char, s.end_char, s.label_, s._.value, s._.unit, s._.year) for s in doc.spans[key]]


def test_each_record_is_a_span_with_its_record_and_fields(nlp_kk) -> None:
    doc = nlp_kk.make_doc(KK)
    doc._.published = "2024-03-01"
    doc = nlp_kk(doc)
    records = extract_text(KK, lang="kk", published="2024-03-01", tagger="none")
    assert len(records) >= 3
    assert doc._.records == records  # the engine's records, unchanged and in order
    spans = doc.spans["figures"]
    assert [s._.record for s in spans] == records
    for span, record in zip(spans, records, strict=True):
        assert span.text == record.value_text
        assert span.label_ == figure_label(record)
        assert record.unit in span.label_ and (record.indicator or record.unit) in span.label_
        for name in SPAN_FIELDS:
            assert getattr(span._, name) == getattr(record, name), name
    years = {s.text: s._.year for s in spans}
    assert years["84,2 мың адам"] == 2023 and years["12 мың адам"] == 2024  # «Биыл»: the year published
    assert spans[0]._.indicator == "social_assistance.recipients" and spans[0]._.value == 84200


def test_a_date_object_as_publication_date(nlp_kk) -> None:
    doc = nlp_kk.make_doc("Биыл 12 мың адам жұмысқа орналасты.")
    doc._.published = dt.date(2025, 6, 1)
    doc = nlp_kk(doc)
    assert doc._.published == "2025-06-01" and doc.spans["figures"][0]._.year == 2025
    assert Doc(nlp_kk.vocab).from_bytes(doc.to_bytes())._.records == doc._.records


def test_a_record_off_token_boundaries_gets_the_covering_tokens(nlp_kk) -> None:
    doc = nlp_kk(UNALIGNED)
    record = next(r for r in doc._.records if r.value_text == "4,1%")
    assert doc.char_span(record.char_start, record.char_end) is None  # no tokens end where it ends
    span = next(s for s in doc.spans["figures"] if s._.record == record)
    assert span.text == "4,1%/жыл"
    assert span.start_char <= record.char_start and span.end_char >= record.char_end
    assert UNALIGNED[record.char_start : record.char_end] == "4,1%"  # the record keeps its offsets


def test_russian_pipeline_and_publication_date_from_pipe_context() -> None:
    nlp = spacy.blank("ru")
    nlp.add_pipe("derek")
    [(doc, context)] = nlp.pipe([(RU, {"published": "2024-05-01", "doc_id": "r1"})], as_tuples=True)
    assert context["doc_id"] == "r1" and doc._.published == "2024-05-01"
    assert [(s._.value, s._.unit, s._.year, s._.region_code) for s in doc.spans["figures"]] == [
        (21500, "person", 2023, "KZ-31"),
        (3.1e9, "KZT", 2023, "KZ-31"),
    ]
    assert {r.doc_id for r in doc._.records} == {"r1"}


def test_entry_points_give_kk_and_the_factory_in_a_fresh_process(tmp_path: Path) -> None:
    script = (
        "import json, spacy\n"
        "from spacy.util import get_lang_class\n"
        "out = {'class': get_lang_class('kk').__module__}\n"
        f"for code, text in (('kk', {KK!r}), ('ru', {RU!r})):\n"
        "    nlp = spacy.blank(code)\n"
        "    nlp.add_pipe('derek')\n"
        "    doc = nlp(text)\n"
        "    out[code] = [(s.text, s.label_, s._.value, s._.record.unit) for s in doc.spans['figures']]\n"
        "print(json.dumps(out, ensure_ascii=False))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["class"] == "extractor.integrations.spacy.lang_kk"
    assert ["84,2 мың адам", "person · social_assistance.recipients", 84200, "person"] in out["kk"]
    assert ["21 500 человек", "person · social_assistance.recipients", 21500, "person"] in out["ru"]


def test_config_round_trips_through_to_disk_and_load(tmp_path: Path) -> None:
    nlp = spacy.blank("kk")
    nlp.add_pipe("derek", config={"tagger": "none", "lang": "kk", "spans_key": "derek_figures"})
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.lang == "kk" and loaded.pipe_names == ["derek"]
    config = loaded.get_pipe_config("derek")
    assert (config["tagger"], config["lang"], config["spans_key"], config["models"]) == (
        "none", "kk", "derek_figures", None,
    )  # fmt: skip
    assert _figures(loaded(KK), "derek_figures") == _figures(nlp(KK), "derek_figures")
    assert len(_figures(nlp(KK), "derek_figures")) == 3 and "figures" not in loaded(KK).spans


def test_a_bad_config_is_refused_with_its_reason() -> None:
    nlp = spacy.blank("kk")
    with pytest.raises(ValueError, match="tagger 'bogus'"):
        nlp.add_pipe("derek", config={"tagger": "bogus"})
    with pytest.raises(ValueError, match="no patterns for language 'de'"):
        nlp.add_pipe("derek", config={"lang": "de"})


def test_pipe_with_two_processes_gives_what_one_process_gives(nlp_kk) -> None:
    texts = [KK, UNALIGNED, "Былтыр облыста 5 мың отбасы көмек алды."]
    contexts = [{"published": "2024-03-01"} for _ in texts]
    pairs = list(zip(texts, contexts, strict=True))
    one = [(_figures(doc), doc._.records) for doc, _ in nlp_kk.pipe(pairs, as_tuples=True)]
    two = [
        (_figures(doc), doc._.records)
        for doc, _ in nlp_kk.pipe(pairs, as_tuples=True, n_process=2, batch_size=1)
    ]
    assert two == one
    assert all(figures for figures, _ in two)
    assert one[2][1][0].year == 2023  # «Былтыр»: the year before the one published, from the context


def test_displacy_shows_each_figure_labelled(nlp_kk) -> None:
    doc = nlp_kk(KK)
    html = displacy.render(doc, style="span", options={"spans_key": "figures"})
    for span in doc.spans["figures"]:
        assert span.label_ in html
        for token in span:
            assert token.text in html
    assert html.count("person · social_assistance.recipients") == 1
    assert html.count("person · employment.placed") == 1


def test_explain_html_writes_the_page_for_a_text_and_a_file(tmp_path: Path, capsys) -> None:
    page = tmp_path / "figures.html"
    assert main(["explain", KK, "--lang", "kk", "--published", "2024-03-01", "--html", str(page)]) == 0
    assert f"wrote {page}" in capsys.readouterr().out
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    for record in extract_text(KK, lang="kk", published="2024-03-01", tagger="none"):
        assert figure_label(record) in html
    article = tmp_path / "ru_article.txt"
    article.write_text("Выплаты АСП\n" + RU, encoding="utf-8")
    assert main(["explain", "--file", str(article), "--html", str(page), "--published", "2024-05-01"]) == 0
    html = page.read_text(encoding="utf-8")
    assert "ru_article" in html and html.count("person · social_assistance.recipients") == 1


def test_explain_html_and_export_spacy_say_when_spacy_is_missing(tmp_path: Path, monkeypatch, capsys) -> None:
    import extractor.integrations.spacy as integration

    monkeypatch.setattr(integration, "find_spec", lambda name: None)
    assert main(["explain", KK, "--html", str(tmp_path / "p.html")]) == 2
    assert "needs spaCy: pip install 'derek[spacy]'" in capsys.readouterr().err
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "derek.sqlite").touch()
    assert main(["export", "--store", str(tmp_path / "store"), "--format", "spacy"]) == 2
    assert "derek export --format spacy needs spaCy" in capsys.readouterr().err
    assert not (tmp_path / "p.html").exists()
