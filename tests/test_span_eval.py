"""The span mode of `derek eval`: the numeral reader, the corpus readers, categories, scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.cli import main
from extractor.evaluation.corpora import Doc, read_brat, read_iob2, rebuild
from extractor.evaluation.numerals import numeral_core, read_numeral
from extractor.evaluation.report import shape, span_report
from extractor.evaluation.spans import CATEGORIES, SpanResult, gold_items, score_doc
from extractor.record import Record

from .conftest import SHARED

KAZNERD_VALID = SHARED / "ner" / "KazNERD" / "IOB2_valid.txt"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 500 теңге", 12500),
        ("3 200 000", 3200000),
        ("5,3 млрд", 5.3e9),
        ("1.8 миллион", 1.8e6),
        ("1.000.000 теңге", 1e6),
        ("7000000000", 7e9),
        ("екі жүз отыз алты мыңға жуық", 236000),
        ("сексен тоғыз мың жүз тоқсан жеті", 89197),
        ("Қырық бес миллиард теңгесі", 45e9),
        ("жеті бүтін оннан үш миллиард", 7.3e9),
        ("нөл бүтін жүзден он екі процент", 0.12),
        ("он бір бүтін бес", 11.5),
        ("алты жарым пайыз", 6.5),
        ("бір жарым миллион", 1.5e6),
        ("жарым миллион", 5e5),
        ("отыз – қырық процент", 30),
        ("250-ден астам", 250),
        ("18%-ке", 18),
        ("төртеуі", 4),
        ("екеуінің", 2),
        ("3 мың 400", 3400),
        ("миллиард теңге", 1e9),
        ("2,5 трлн", 2.5e12),
        ("шамамен 40 млн", 4e7),
        ("20 – 30 мың теңге", 20000),
        ("алты-жеті мың", 6000),
        ("төрт те жеті пайыз", 4.7),
        ("жарты миллион теңгеге", 5e5),
    ],
)
def test_numeral_reader(text: str, value: float) -> None:
    assert read_numeral(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["теңге", "бірнеше адам", "үшін", "оның бағасы", "бірақ"])
def test_numeral_reader_no_number(text: str) -> None:
    assert read_numeral(text) is None


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("шамамен 40 млн теңгеге дейін", "40 млн"),
        ("250-ден астам", "250"),
        ("18%-ке", "18"),
        ("он бір бүтін оннан бес пайызы", "он бір бүтін оннан бес"),
        ("отыз – қырық процент", "отыз – қырық"),
        ("теңге", None),
    ],
)
def test_numeral_core(text: str, core: str | None) -> None:
    found = numeral_core(text)
    assert (text[found[0] : found[1]] if found else None) == core


def test_rebuild_glues_number_punctuation() -> None:
    tokens = ["Шығын", "7", ",", "25", "млрд", "(", "18", "%", ")", ",", "ал", "3000", ",", "4000", "."]
    text, offsets = rebuild(tokens)
    assert text == "Шығын 7,25 млрд (18%), ал 3000, 4000."
    assert all(text[a:b] == tok for tok, (a, b) in zip(tokens, offsets, strict=True))
    assert rebuild(["сағат", "9", ":", "30-да", "«", "Ақ", "»"])[0] == "сағат 9:30-да «Ақ»"


IOB2 = """\
Ауданға B-GPE
4 B-MONEY
, I-MONEY
2 I-MONEY
млрд I-MONEY
теңге I-MONEY
бөлініп O
, O
12 B-CARDINAL
мектеп O
салынды O
. O

Жұмыссыздық O
5 B-PERCENTAGE
, I-PERCENTAGE
1 I-PERCENTAGE
%-ке I-PERCENTAGE
төмендеп O
, O
тоғызға B-CARDINAL
жетті O
. O

Экспорт O
отыз B-MONEY
миллион I-MONEY
долларды I-MONEY
құрады O
, O
жұмыс O
3 B-DATE
жыл I-DATE
жүреді O
. O

Қалада O
2 B-CARDINAL
мыңнан I-CARDINAL
астам I-CARDINAL
отбасы O
бар O
, O
5 B-CARDINAL
жыл O
бұрын O
. O
"""


def _record(doc: Doc, text: str, value: float, unit: str) -> Record:
    start = doc.text.index(text)
    blank = dict.fromkeys(("record_id", "doc_id", "source", "lang", "title", "region_code"), "")
    blank |= dict.fromkeys(("region_name", "region_mention", "district_code", "district_name"), "")
    blank |= dict.fromkeys(("period", "indicator", "measure", "status", "qualifier", "sentence"), "")
    return Record(
        **blank, published=None, year=None, value=value, value_max=None, unit=unit,
        value_text=text, char_start=start, char_end=start + len(text),
    )  # fmt: skip


@pytest.fixture
def iob2_docs(tmp_path: Path) -> list[Doc]:
    path = tmp_path / "mini.txt"
    path.write_text(IOB2, encoding="utf-8")
    return read_iob2(path)


def test_iob2_texts_and_categories(iob2_docs: list[Doc]) -> None:
    assert [d.text for d in iob2_docs][:2] == [
        "Ауданға 4,2 млрд теңге бөлініп, 12 мектеп салынды.",
        "Жұмыссыздық 5,1%-ке төмендеп, тоғызға жетті.",
    ]
    found = [(i.category, i.text, i.value) for d in iob2_docs for i in gold_items(d)[0]]
    assert found == [
        ("money_kzt", "4,2 млрд теңге", pytest.approx(4.2e9)),
        ("counted", "12", 12),  # «12 мектеп»: a bare numeral before a lower-case noun
        ("percent", "5,1%-ке", pytest.approx(5.1)),  # «тоғызға жетті»: inflected, not counted
        ("money_other", "отыз миллион долларды", 3e7),
        ("counted", "2 мыңнан астам", 2000),  # a qualifier still precedes the noun; «5 жыл» does not
    ]


def test_scores_exact_overlap_core_value(iob2_docs: list[Doc]) -> None:
    first, second, third, fourth = iob2_docs
    result = SpanResult("mini", 4, 4, 0.0)
    found = [
        (first, [("4,2 млрд теңге", 4.2e9, "KZT"), ("12 мектеп", 12, "school")]),
        (second, [("5,1%", -5.1, "percent"), ("тоғызға", 9, "person")]),
        (third, [("миллион долларды", 1e6, "USD")]),
        (fourth, [("мыңнан астам отбасы", 1000, "family")]),
    ]
    for doc, records in found:
        score_doc(doc, [_record(doc, *record) for record in records], result)
    kzt, other, percent, counted = (result.scores[c] for c in CATEGORIES)
    assert (kzt.matched["exact"], kzt.matched["core"], kzt.value_share) == (1, 1, 1.0)
    # a decrease is signed by derek; the span lacks the ending «-ке»: not exact, same core
    assert (percent.matched["exact"], percent.matched["overlap"], percent.matched["core"]) == (0, 1, 1)
    assert percent.value_share == 1.0
    # the span overlaps but its number part is shorter, and its value is wrong
    assert (other.matched["overlap"], other.matched["core"]) == (1, 0)
    assert (other.value_right, other.value_of) == (0, 1)
    # «12 мектеп» is exact (gold span plus its noun); «мыңнан астам отбасы» overlaps only
    assert (counted.gold, counted.predicted) == (2, 2)  # «тоғызға» is on an uncounted CARDINAL
    assert result.neutral == 1
    assert [counted.matched[level] for level in ("exact", "overlap", "core")] == [1, 2, 1]
    assert counted.prf("overlap") == (1.0, 1.0, 1.0)
    assert counted.prf("exact") == (0.5, 0.5, 0.5)
    assert counted.value_share == 0.5
    kinds = sorted((e.category, e.kind) for e in result.errors)
    assert kinds == [
        ("counted", "core differs"), ("counted", "wrong value"),
        ("money_other", "core differs"), ("money_other", "wrong value"),
    ]  # fmt: skip
    report = span_report(result, show=2)
    assert report.splitlines()[-3].startswith("summary")
    assert "wrong value" in report and "| Экспорт" in report


def test_shape_keeps_number_structure() -> None:
    assert shape("шамамен 5,3 млрд теңгеге") == "шамамен # теңгеге"
    assert shape("он бір бүтін оннан бес пайызы") == "# бүтін оннан # пайызы"


def test_brat_pair(tmp_path: Path) -> None:
    text = "Биыл 350 отбасыға 1,5 млн теңгеден грант берілді.\nЖұмыссыздық 4,8% болды.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    ann = ["T1\tCARDINAL 5 8\t350", "T2\tMONEY 18 34\t1,5 млн теңгеден", "T3\tPERCENTAGE 62 66\t4,8%",
           "#1\tAnnotatorNotes T1\tnote"]  # fmt: skip
    (tmp_path / "a.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    (doc,) = read_brat(tmp_path)
    assert [doc.text[e.start : e.end] for e in doc.entities] == ["350", "1,5 млн теңгеден", "4,8%"]
    result = SpanResult("brat", 1, 1, 0.0)
    records = [_record(doc, "350 отбасы", 350, "family"), _record(doc, "1,5 млн теңге", 1.5e6, "KZT"),
               _record(doc, "4,8%", 4.8, "percent"), _record(doc, "Биыл", 1, "person")]  # fmt: skip
    score_doc(doc, records, result)
    kzt, percent, counted = (result.scores[c] for c in ("money_kzt", "percent", "counted"))
    assert (kzt.matched["exact"], kzt.matched["core"], kzt.value_share) == (0, 1, 1.0)
    assert percent.prf("exact") == (1.0, 1.0, 1.0)
    assert counted.prf("overlap") == (0.5, 1.0, pytest.approx(2 / 3))  # «Биыл» is an extra
    assert [e.kind for e in result.errors] == ["extra"]


def test_cli_span_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mini.txt"
    path.write_text(IOB2, encoding="utf-8")
    errors = tmp_path / "errors.txt"
    assert main(["eval", str(path), "--format", "iob2", "--tagger", "none", "--errors", str(errors)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-3].startswith("summary") and "tenge" in out[-2] and "counted" in out[-1]
    assert errors.read_text(encoding="utf-8").startswith("derek span-mode errors")
    assert main(["eval", str(path)]) == 2  # the CSV mode still needs records.csv


@pytest.mark.skipif(not KAZNERD_VALID.exists(), reason="../shared/ner/KazNERD is not here")
def test_kaznerd_valid_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(KAZNERD_VALID), "--format", "iob2", "--tagger", "none"]) == 0
    out = capsys.readouterr().out
    for category in CATEGORIES:
        line = next(row for row in out.splitlines() if row.startswith(category))
        assert int(line.split()[1]) > 0  # gold entities of every category were found
