"""Random texts never break the engine: no exception, finite values, exact spans, plausible years.

The pieces (words, digits of every script, separators, control characters) are the ones of
bench/fuzz.py, which runs the same invariants over 100,000 texts.
"""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.fuzz import (
    CONTROLS,
    DIGIT_ZEROS,
    LETTERS,
    NUMBER_WORDS,
    SEPARATORS,
    WORDS,
    YEAR_WORDS,
    check,
    decimal_digits,
)
from extractor import extract_text
from extractor.numbers.digits import ascii_digits, to_int

DIGITS = "".join(chr(zero + n) for zero in DIGIT_ZEROS for n in range(10))
PIECES = st.one_of(
    st.sampled_from(WORDS + NUMBER_WORDS + YEAR_WORDS),
    st.text(alphabet=LETTERS, min_size=1, max_size=8),
    st.text(alphabet=DIGITS + "0123456789 \u00a0,.", min_size=1, max_size=24),
    st.integers(min_value=16, max_value=420).map(lambda n: "9" * n),  # ids, not amounts
    st.integers(min_value=300, max_value=420).map(lambda n: "1" + "0" * n + ",5"),
    st.tuples(st.sampled_from(NUMBER_WORDS), st.integers(2, 200)).map(lambda w: " ".join([w[0]] * w[1])),
    st.tuples(st.integers(1900, 2199), st.sampled_from(YEAR_WORDS)).map(lambda y: f"{y[0]} {y[1]}"),
    st.sampled_from(CONTROLS),
    st.characters(codec=None, exclude_categories=()),  # any code point, surrogates too
)
HEADERS = st.one_of(
    st.just(""),
    st.builds(lambda y, m, d: f"date {y:04d}-{m:02d}-{d:02d}\n", st.integers(0, 9999), st.integers(0, 13),
              st.integers(0, 32)),
)  # fmt: skip
TEXTS = st.builds(
    lambda header, parts: header + "".join(p + s for p, s in parts),
    HEADERS,
    st.lists(st.tuples(PIECES, st.sampled_from(SEPARATORS)), max_size=40),
)


@pytest.mark.parametrize("lang", ["kk", "ru"])
@settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(text=TEXTS)
def test_random_texts_keep_the_invariants(lang: str, text: str) -> None:
    assert check(text, lang) == []


def test_every_decimal_digit_reads_as_its_ascii_digit() -> None:
    digits = decimal_digits()
    assert len(digits) > 700  # every script's digits, not only those Python knows
    for char in digits:
        known = unicodedata.digit(char, None)
        read = ascii_digits(char)
        assert read in "0123456789" and len(read) == 1, hex(ord(char))
        assert known is None or int(read) == known, hex(ord(char))
    assert ascii_digits("тенге 2023") == "тенге 2023"
    assert to_int("\U0001e4f2\U0001e4f0\U0001e4f2\U0001e4f3") == 2023


def test_digits_python_does_not_know_are_read_not_crashed_on() -> None:
    # NAG MUNDARI DIGIT ONE, TWO (Unicode 15): int() of Python 3.11 refuses them
    text = "Облыста \U0001e4f1\U0001e4f2 мың адам көмек алды."
    (record,) = extract_text(text, lang="kk", tagger="none")
    assert record.value == 12000 and record.unit == "person"
    assert text[record.char_start : record.char_end] == record.value_text
    (record,) = extract_text("В области \u0663\u0665 тысяч человек.", lang="ru", tagger="none")
    assert record.value == 35000  # Arabic-Indic digits, read the same way


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_long_digit_runs_and_repeated_multipliers_stay_finite(lang: str) -> None:
    texts = [
        "9" * 309 + " тенге",
        "1," + "9" * 400 + " млрд тенге",
        "999 999 999 999 999 млрд тенге",
        "жүз " * 200 + "адам",  # 100 ** 200 overflowed a float
        "бір бүтін " + "жүз " * 200 + "адам",
    ]
    for text in texts:
        records = extract_text(text, lang=lang, tagger="none")
        assert all(math.isfinite(r.value) for r in records), text
        assert all(r.value_max is None or math.isfinite(r.value_max) for r in records), text
    assert not extract_text("9" * 309 + " тенге", lang=lang, tagger="none")  # an id, not an amount


def test_multiplier_applies_only_to_a_smaller_number() -> None:
    values = [r.value for r in extract_text("Облыста жүз жүз адам бар.", lang="kk", tagger="none")]
    assert values == [100]
    (record,) = extract_text("Облыста екі жүз елу адам бар.", lang="kk", tagger="none")
    assert record.value == 250


def test_years_outside_1990_2100_are_never_given() -> None:
    header = extract_text("date 7738-02-12\nБиыл облыста 5 мың адам көмек алды.", lang="kk", tagger="none")
    assert [(r.published, r.year) for r in header] == [(None, None)]
    old = extract_text("В 1950 году в области 5 тысяч человек получили помощь.", lang="ru", tagger="none")
    assert [r.year for r in old] == [None]
    late = extract_text("В следующем году 5 тысяч человек получат помощь.", lang="ru", published="2100-05-01",
                        tagger="none")  # fmt: skip
    assert [r.year for r in late] == [None]
    fine = extract_text("В 2023 году в области 5 тысяч человек получили помощь.", lang="ru", tagger="none")
    assert [r.year for r in fine] == [2023]


def test_a_lone_surrogate_in_the_text_is_no_error() -> None:
    text = "Облыста 803 адам-\udfff көмек алды."
    records = extract_text(text, lang="kk", tagger="none")
    assert [r.value for r in records] == [803]
    assert check(text, "kk") == []
