"""Scoping figures to the country, a region or a district (SPEC "Scoping rules")."""

from __future__ import annotations

import importlib

import pytest

from extractor import extract_text
from extractor.tokens import tokenize

# the package exports a function named like its module: reach the modules themselves
gazetteer_module = importlib.import_module("extractor.places.gazetteer")
district_module = importlib.import_module("extractor.places.districts")


def _scopes(text: str, lang: str) -> dict[float, tuple[str, str]]:
    return {r.value: (r.region_code, r.district_code) for r in extract_text(text, lang=lang, tagger="none")}


def test_a_national_title_beats_the_dateline() -> None:
    text = "По стране бедность снизилась\n\nТАРАЗ. Уровень бедности составил 5,2%."
    assert _scopes(text, "ru")[5.2] == ("KZ", "")


def test_the_dateline_scopes_a_figure_with_no_mention() -> None:
    text = "Итоги года\n\nТАРАЗ. Помощь получили 4 100 человек."
    assert _scopes(text, "ru")[4100] == ("KZ-31", "")


def test_words_that_refer_back_name_the_documents_region_not_the_country() -> None:
    text = "Итоги года\n\nТАРАЗ. По стране помощь получили 480 тысяч человек. По области – 41 тысяча человек."
    scopes = _scopes(text, "ru")
    assert scopes[480000] == ("KZ", "")
    assert scopes[41000] == ("KZ-31", "")


def test_a_national_paragraph_stays_national_until_a_region_is_named() -> None:
    text = (
        "Итоги года\n\nАКТОБЕ. По стране помощь получают 480 тысяч человек. Выплаты составили 90 млрд тенге. "
        "В Жамбылской области помощь получили 41 тысяча человек. Выплаты составили 7 млрд тенге."
    )
    scopes = _scopes(text, "ru")
    assert scopes[90e9] == ("KZ", "")
    assert scopes[7e9] == ("KZ-31", "")


def test_a_district_in_the_title_scopes_the_article_but_not_the_whole_region() -> None:
    text = (
        "Қордай ауданында жұмыс орындары ашылды\n\n"
        "Ауданда 1 200 адам жұмысқа орналасты. Жалпы облыс бойынша 14 830 адам жұмыс тапты."
    )
    scopes = _scopes(text, "kk")
    assert scopes[1200] == ("KZ-31", "314800000")
    assert scopes[14830] == ("KZ-31", "")


def test_a_district_named_in_two_regions_takes_the_one_in_context() -> None:
    sentence = "{} облысы Ақтоғай ауданында 300 адам көмек алды."
    assert _scopes(sentence.format("Қарағанды"), "kk")[300] == ("KZ-35", "353600000")
    assert _scopes(sentence.format("Павлодар"), "kk")[300] == ("KZ-55", "553200000")


def test_a_regional_centre_needs_its_region_in_context() -> None:
    text = "Итоги\n\n{}. В Кокшетау помощь получили 95 человек."
    assert _scopes(text.format("КОКШЕТАУ"), "ru")[95] == ("KZ-11", "111000000")
    assert _scopes(text.format("ТАРАЗ"), "ru")[95] == ("KZ-31", "")


def test_the_regional_centre_words_give_the_centre_city() -> None:
    text = "Итоги\n\nВ Павлодарской области АСП получили 9 000 человек. В областном центре – 3 100 человек."
    assert _scopes(text, "ru")[3100] == ("KZ-55", "551000000")


def test_every_gazetteer_term_goes_through_script_variants(monkeypatch: pytest.MonkeyPatch) -> None:
    def latin(code: str, term: str) -> tuple[str, ...]:
        return (term, "Zz" + term) if term.startswith("Байзақ") else (term,)

    monkeypatch.setattr(gazetteer_module, "script_variants", latin)
    monkeypatch.setattr(district_module, "script_variants", latin)
    gaz = gazetteer_module.gazetteer.__wrapped__()
    words = "ZzБайзақ ауданында"
    match = gaz.districts.named.match_at(tokenize(words), 0, words)
    assert match is not None and match.label[0] == ("313600000",)


def test_evidence_points_at_the_mentions_a_scope_came_from() -> None:
    from extractor.api import extract_text

    cases = [
        ("kk", "Алматы облысында 2023 жылы 12 мың адам атаулы әлеуметтік көмек алды.", "Алматы облысында"),
        ("ru", "В Карагандинской области в 2024 году пособие получили 8 тысяч семей.", "Карагандинской области"),  # noqa: E501
    ]
    for lang, text, place in cases:
        (record,) = extract_text(text, lang=lang, tagger="none")
        kinds = {kind: text[start:end] for kind, start, end in record.evidence}
        assert kinds["region"] == place
        assert str(record.year) in kinds["year"]
        assert "evidence" not in record.row()
