"""spaCy's language `kk`, built from patterns/kk/, tested the way spaCy tests its languages:
tokenizer exceptions, infixes, `like_num` and stop words, in Cyrillic and Latin script."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from extractor.integrations.spacy.lang_kk import Kazakh  # noqa: E402
from extractor.langdata import PATTERNS_DIR  # noqa: E402
from extractor.schema import PatternFile  # noqa: E402


@pytest.fixture(scope="module")
def kk_tokenizer():
    return Kazakh().tokenizer


@pytest.fixture(scope="module")
def kk_nlp():
    return Kazakh()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("3,8 млн. теңге бөлінді", ["3,8", "млн.", "теңге", "бөлінді"]),
        ("2023 ж. қаңтарда", ["2023", "ж.", "қаңтарда"]),
        ("мектеп, аурухана т.б. салынды.", ["мектеп", ",", "аурухана", "т.б.", "салынды", "."]),
        ("ауыл, қала т.б.", ["ауыл", ",", "қала", "т.б."]),
        ("кітап, дәптер т.с.с. берілді", ["кітап", ",", "дәптер", "т.с.с.", "берілді"]),
        ("Абай көш. 12 үйде", ["Абай", "көш.", "12", "үйде"]),
        ("Млн. теңге", ["Млн.", "теңге"]),
        ("XIX ғ. соңында", ["XIX", "ғ.", "соңында"]),
        # Latin script: the same exceptions, derived through patterns/kk/script.yaml
        ("3,8 mln. teńge", ["3,8", "mln.", "teńge"]),
        ("2023 j. qańtarda", ["2023", "j.", "qańtarda"]),
        ("mektep, aýrýhana t.b. salyndy", ["mektep", ",", "aýrýhana", "t.b.", "salyndy"]),
    ],
)
def test_kk_tokenizer_keeps_abbreviations_whole(kk_tokenizer, text, expected) -> None:
    assert [token.text for token in kk_tokenizer(text)] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("сондай-ақ", ["сондай-ақ"]),
        ("АӘК-пен", ["АӘК-пен"]),
        ("Усть-Каменогорск", ["Усть-Каменогорск"]),
        ("5-ке дейін", ["5-ке", "дейін"]),
        ("5-7 мың", ["5", "-", "7", "мың"]),
        ("g'alym", ["g'alym"]),
        ("«Казинформ»", ["«", "Казинформ", "»"]),
        ("облыста.Жұмыссыздық", ["облыста", ".", "Жұмыссыздық"]),
    ],
)
def test_kk_tokenizer_keeps_hyphenated_words_whole(kk_tokenizer, text, expected) -> None:
    assert [token.text for token in kk_tokenizer(text)] == expected


@pytest.mark.parametrize(
    "text,match",
    [
        ("84,2", True),
        ("48 298", True),
        ("3/4", True),
        ("-12", True),
        ("бір", True),
        ("жиырма", True),
        ("мың", True),
        ("мыңға", True),
        ("миллиардқа", True),
        ("беске", True),
        ("екінші", True),
        ("5-ке", True),
        ("2-нші", True),
        ("alty", True),
        ("mln", True),
        ("Бес", True),
        ("оны", False),
        ("онда", False),
        ("адам", False),
        ("облыс", False),
        ("АӘК-пен", False),
        ("теңге", False),
    ],
)
def test_kk_like_num(kk_tokenizer, text, match) -> None:
    assert kk_tokenizer.vocab[text].like_num is match


def test_kk_like_num_knows_every_number_word_of_the_patterns(kk_nlp) -> None:
    numbers = PatternFile(PATTERNS_DIR / "kk" / "numbers.yaml")
    for terms in numbers.get("words.add").values():
        for term in terms:
            for form in numbers.variants(term):
                assert kk_nlp.vocab[form].like_num, form


@pytest.mark.parametrize("word", ["және", "мен", "бұл", "үшін", "Және", "jáne", "bul", "úshin"])
def test_kk_stop_words(kk_nlp, word) -> None:
    assert kk_nlp.vocab[word].is_stop


@pytest.mark.parametrize("word", ["адам", "облыс", "теңге", "мың", "бір", "adam"])
def test_kk_content_and_number_words_are_not_stop_words(kk_nlp, word) -> None:
    assert not kk_nlp.vocab[word].is_stop


def test_kk_is_a_spacy_language(kk_nlp) -> None:
    doc = kk_nlp("2023 жылы облыста 84,2 мың адам көмек алды.")
    assert kk_nlp.lang == "kk" and doc.lang_ == "kk"
    assert [t.like_num for t in doc][:5] == [True, False, False, True, True]
    assert kk_nlp.meta["lang"] == "kk"
