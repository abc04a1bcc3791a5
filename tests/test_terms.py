"""TermSet: leftmost-longest matching, with the caches that make it fast giving the same answers."""

from __future__ import annotations

from extractor.terms import TermSet, ending_at
from extractor.tokens import tokenize

TERMS = TermSet(
    [
        ("aid", "атаулы әлеуметтік көмек*"),
        ("social", "әлеуметтік"),
        ("help", "көмек*"),
        ("pair", "атаулы көмек*"),
    ]
)


def _labels(text: str) -> list[tuple[object, str]]:
    tokens = tokenize(text)
    return [(m.label, text[m.start : m.end]) for m in TERMS.find_all(tokens, text)]


def test_the_longest_term_wins_and_the_next_word_decides_among_candidates() -> None:
    # the same first word twice, with a different second word: each pair is decided apart
    assert _labels("атаулы әлеуметтік көмекке және атаулы көмекті") == [
        ("aid", "атаулы әлеуметтік көмекке"),
        ("pair", "атаулы көмекті"),
    ]
    assert _labels("атаулы әлеуметтік жоба") == [("social", "әлеуметтік")]


def test_a_number_after_the_first_word_is_no_second_word() -> None:
    # a number token carries its suffix as its normalized form: it must not pass for a word
    assert _labels("атаулы 5-көмек") == []


def test_a_term_is_found_ending_on_its_last_word_only() -> None:
    text = "атаулы әлеуметтік көмек алды"
    tokens = tokenize(text)
    match = ending_at(TERMS, tokens, 2, text)
    assert match is not None and (match.label, match.first) == ("aid", 0)
    assert ending_at(TERMS, tokens, 3, text) is None  # «алды» ends no term
    assert TERMS.may_end(tokens[2]) and not TERMS.may_end(tokens[3])


def test_answers_stay_the_same_once_cached() -> None:
    text = "атаулы әлеуметтік көмекке және атаулы көмекті, атаулы жоба"
    first = _labels(text)
    assert _labels(text) == first == _labels(text)
