"""Other scripts of a language (patterns/<code>/script.yaml): Kazakh in Latin letters."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from extractor import extract_text
from extractor.document import detect_language
from extractor.langdata import PATTERNS_DIR, load_language
from extractor.schema import PatternError
from extractor.script import load_script, script_variants
from extractor.terms import normalize_word
from extractor.tokens import tokenize

KK = PATTERNS_DIR / "kk"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Маңғыстау", "Mańǵystaý"),  # 2018: ң ń, ғ ǵ, у ý
        ("Қостанай", "Qostanaı"),  # қ q, й ı
        ("облысы", "oblysy"),  # ы y
        ("ауданы", "aýdany"),
        ("теңге", "teńge"),
        ("миллиард", "mıllıard"),  # и ı
        ("төмендеді", "tómendedi"),  # ө ó, і i
        ("жоспарлануда", "josparlanýda"),  # ж j
        ("шамамен", "shamamen"),  # ш sh
        ("ұлғайды", "ulǵaıdy"),  # ұ u
        ("үш", "úsh"),  # ү ú
        ("әлеуметтік", "áleýmettik"),  # ә á
        ("Маңғыстау", "Mañğıstau"),  # 2021: ñ, ğ, ı for ы, u for у
        ("өсті", "östi"),  # 2021: ö
        ("ұлғайды", "ūlğaydı"),  # 2021: ū, y for й
        ("шамамен", "şamamen"),  # 2021: ş
        ("Маңғыстау", "Man'g'ystay"),  # 2017: apostrophes; a final one is dropped
        ("Маңғыстау", "Mangystau"),  # typed without accents
        ("пайыз", "paiyz"),
        ("объект", "obekt"),  # ъ dropped
        ("цифр", "tsifr"),  # ц ts
        ("чек", "chek"),  # ч ch
    ],
)
def test_letters_of_the_latin_alphabets(cyrillic: str, latin: str) -> None:
    # forms that differ only in ı and i are one form (letter_equivalents), kept once
    assert normalize_word(latin) in {normalize_word(v) for v in script_variants("kk", cyrillic)}


def test_variants_keep_the_term_first_its_stars_and_its_case() -> None:
    found = script_variants("kk", "Қостанай облыс*")
    assert found[0] == "Қостанай облыс*"
    assert "Qostanaı oblys*" in found
    assert len({normalize_word(v) for v in found}) == len(found)  # no two alike


def test_a_language_without_a_table_has_no_variants() -> None:
    assert script_variants("ru", "тенге") == ("тенге",)
    assert script_variants("kk", "2023") == ("2023",)


def test_several_renderings_all_come_out() -> None:
    forms = {normalize_word(v) for v in script_variants("kk", "Ясауи")}
    assert {"iasaui", "yasaui"} <= forms


def test_time_patterns_match_latin_years_and_months() -> None:
    kk = load_language("kk")
    text = "2024 jyldyń 9 aıynda, 2023 jyly, 2022 jylmen salystyrǵanda, 15 qyrkúıekte"
    found = {p.id for p in kk.time_patterns if p.regex.search(text)}
    assert {"months_of_year", "year", "year_compared", "day_month"} <= found


def test_regex_derivation_keeps_escapes_and_classes() -> None:
    table = load_script(KK)
    assert table is not None
    source = table.regex(r"\p{L}жыл[аә][^ғ]\d")
    pattern = regex.compile(source, regex.IGNORECASE)
    for text in ("xжылаb1", "xjylá-1", "xjılab1", "XJYLA'B1"):
        assert pattern.fullmatch(text), text
    assert not pattern.fullmatch("xjylaǵ1") and not pattern.fullmatch("xjylağ1")
    assert table.regex(r"(?P<year>\d{4})\s+\w*") == r"(?P<year>\d{4})\s+\w*"


def test_endings_and_lexicons_load_in_latin() -> None:
    kk = load_language("kk")
    assert {"ǵa", "ğa", "ga"} <= set(kk.change.by_suffixes)
    assert "dan" in kk.change.from_suffixes
    assert kk.units.matches_word("teńge") == "KZT"
    assert kk.units.matches_word("paiyzǵa") == "percent"
    assert kk.change.decrease.matches_word("tómendedi") is not None
    assert kk.qualifiers_after.matches_word("astam") == "more_than"
    assert kk.status.matches_word("josparlanýda") == "plan"
    assert kk.relative_years.matches_word(normalize_word("Bıyl")) == 0
    assert "oblysy" in kk.words


def test_normalize_word_composes_accents_and_folds_dotless_i() -> None:
    assert normalize_word("Man\u0301g\u0301ystay\u0301") == normalize_word("Mańǵystaý")
    assert normalize_word("Paıyz") == normalize_word("PAIYZ") == "paiyz"
    assert normalize_word("İlim") == "ilim"
    assert normalize_word("и\u0306") == "й"


def test_tokens_hold_combining_accents_apostrophes_and_suffixes() -> None:
    text = "te\u0301n\u0301ge 5,4%-ǵa 2,2%-g'a adamg'a 27 964-i"
    tokens = tokenize(text)
    assert [t.kind for t in tokens] == ["word", "num", "pct", "num", "pct", "word", "num"]
    assert tokens[0].end == len("te\u0301n\u0301ge")
    assert (tokens[2].suffix, tokens[4].suffix, tokens[5].text) == ("ǵa", "g'a", "adamg'a")
    assert tokens[6].suffix == "i"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Qostanaı oblysynda 2023 jyly 3,2 mlrd teńge bólindi. Bul týraly ákimdik habarlady.", "kk"),
        ("Qostanay oblısında 2023 jılı 3,2 mlrd teñge bölindi jäne adam sanı östi.", "kk"),
        ("Qostanai oblysynda 2023 jyly 300 adam jumysqa ornalasty, dep habarlady akimdik.", "kk"),
        ("Қостанай облысында 2023 жылы 3,2 млрд теңге бөлінді.", "kk"),
        ("В Костанайской области в 2023 году выделено 3,2 млрд тенге.", "ru"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_an_english_text_reads_without_error() -> None:
    text = "The regional budget allocated 3.2 billion tenge to 1,200 families in 2023."
    assert detect_language(text) in ("kk", "ru")
    extract_text(text, tagger="none")


def test_latin_kazakh_end_to_end() -> None:
    text = "Qostanaı oblysynda 2023 jyly 3,2 mlrd teńge bólindi. Jumyssyzdyq 0,3%-ǵa tómendedi."
    records = extract_text(text, tagger="none")
    assert [(r.value, r.unit, r.region_code, r.year) for r in records] == [
        (3_200_000_000, "KZT", "KZ-39", 2023),
        (-0.3, "percent", "KZ-39", 2023),
    ]


def _table(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "script.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("source: ab\nmax_variants: 2\nalphabets: {l: {a: x}}\n", "letters missing ['b']"),
        ("source: a\nmax_variants: 2\nalphabets: {l: {a: x, c: y}}\n", "not in source ['c']"),
        ("source: a\nmax_variants: 0\nalphabets: {l: {a: x}}\n", "max_variants"),
        ("source: a\nmax_variants: 2\nalphabets: {l: {a: [1]}}\n", "alphabets.l.a"),
        ("max_variants: 2\nalphabets: {l: {a: x}}\n", "source"),
    ],
)
def test_a_bad_table_is_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PatternError, match="script.yaml") as error:
        load_script(_table(tmp_path, text))
    assert message in str(error.value)
