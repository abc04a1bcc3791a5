"""Property: an amount written in any supported style and language parses back to its value.

The renderings use each language's own data (scale words, units) so a new language is
covered by adding its files.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract_text
from extractor.langdata import PATTERNS_DIR, available_languages, load_language
from extractor.schema import PatternFile

SEPARATORS = (" ", "\u00a0", "\u202f", "")


def _plain_words(code: str, key: str) -> dict[float, str]:
    """The first plain (non-prefix) spelling per label, e.g. 1000 -> «мың»."""
    mapping = PatternFile(PATTERNS_DIR / code / "numbers.yaml").get(key)
    return {float(k): v[0].rstrip("*") for k, v in mapping.items() if v}


def _unit_word(code: str, unit: str) -> str:
    terms = PatternFile(PATTERNS_DIR / code / "units.yaml").get(("units", unit))
    return next(t.rstrip("*") for t in terms if " " not in t)


def _grouped(n: int, separator: str) -> str:
    digits = f"{n:,}"
    return digits.replace(",", separator)


def _sentence(code: str, amount: str, unit: str) -> str:
    return f"{amount} {_unit_word(code, unit)}."


@pytest.mark.parametrize("code", available_languages())
@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=1, max_value=9_999_999), sep=st.sampled_from(SEPARATORS))
def test_grouped_digits(code: str, n: int, sep: str) -> None:
    text = _sentence(code, _grouped(n, sep), "KZT")
    values = [r.value for r in extract_text(text, lang=code, tagger="none")]
    assert values == [n], text


@pytest.mark.parametrize("code", available_languages())
@settings(max_examples=60, deadline=None)
@given(
    whole=st.integers(min_value=1, max_value=999),
    tenth=st.integers(min_value=0, max_value=9),
    scale=st.sampled_from([1e3, 1e6, 1e9]),
)
def test_decimal_comma_with_scale_word(code: str, whole: int, tenth: int, scale: float) -> None:
    word = _plain_words(code, "scales")[scale]
    text = _sentence(code, f"{whole},{tenth} {word}", "KZT")
    expected = float(Decimal(f"{whole}.{tenth}") * Decimal(int(scale)))
    values = [r.value for r in extract_text(text, lang=code, tagger="none")]
    assert values == [expected], text


@pytest.mark.parametrize("code", available_languages())
@settings(max_examples=60, deadline=None)
@given(big=st.integers(min_value=1, max_value=999), small=st.integers(min_value=1, max_value=999))
def test_mixed_scale_words(code: str, big: int, small: int) -> None:
    scales = _plain_words(code, "scales")
    text = _sentence(code, f"{big} {scales[1e6]} {small} {scales[1e3]}", "KZT")
    values = [r.value for r in extract_text(text, lang=code, tagger="none")]
    assert values == [big * 1_000_000 + small * 1000], text


@pytest.mark.parametrize("code", available_languages())
@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=1, max_value=99_999), tenth=st.integers(min_value=0, max_value=9))
def test_percent(code: str, n: int, tenth: int) -> None:
    text = f"{n % 100},{tenth}% {_unit_word(code, 'person')}."
    values = {r.unit: r.value for r in extract_text(text, lang=code, tagger="none")}
    assert values.get("percent") == float(f"{n % 100}.{tenth}"), text


@pytest.mark.parametrize("code", available_languages())
@settings(max_examples=40, deadline=None)
@given(tens=st.sampled_from([20, 30, 40, 50]), units=st.integers(min_value=2, max_value=9))
def test_number_words_with_a_scale(code: str, tens: int, units: int) -> None:
    words = _plain_words(code, "words.add")
    if float(tens) not in words:
        pytest.skip(f"{code} has no word for {tens}")
    scale = _plain_words(code, "scales")[1e3]
    text = _sentence(code, f"{words[float(tens)]} {words[float(units)]} {scale}", "KZT")
    values = [r.value for r in extract_text(text, lang=code, tagger="none")]
    assert values == [(tens + units) * 1000], text


def test_every_language_loads() -> None:
    for code in available_languages():
        assert load_language(code).code == code
