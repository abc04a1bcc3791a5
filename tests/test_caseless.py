"""Case-insensitive patterns matched on lower-cased text find what they find as written."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from regex import _regex

from extractor.caseless import CASED_PLANES_END, CaselessPattern, _case_table, lowered_text
from extractor.document import document_rules
from extractor.langdata import _either_i, available_languages, load_language
from extractor.reader import Article, input_files, read_file
from tests.conftest import CORPUS

FLAGS = regex.IGNORECASE | regex.MULTILINE


def _patterns() -> list[tuple[str, CaselessPattern]]:
    found = [(f"mask {name}", scan) for name, scan in document_rules().masks.items()]
    for code in available_languages():
        found += [(f"{code} {p.id}", p.scan) for p in load_language(code).time_patterns]
    return found


def _matches(found) -> list[tuple]:
    """Each match's span and the spans of its groups: what readers of a match take from it."""
    return [(m.span(), [m.span(g) for g in range(1 + len(m.groups()))]) for m in found]


def _same(scan: CaselessPattern, text: str) -> bool:
    return _matches(scan.finditer(text, lowered_text(text))) == _matches(scan.pattern.finditer(text))


_CASE_FREE_SYNTAX = regex.compile(r"\\[pP]\{[^}]*\}|\(\?P[<=>](?:\w+>?)?|\\[A-Z]")


def test_time_patterns_and_masks_without_capitals_are_matched_lower_cased() -> None:
    """Every one whose source names no capital letter (escapes and group syntax aside) and
    keeps ignoring case: a dotless ı alone (Kazakh Latin months) would stop it."""
    patterns = _patterns()
    for name, scan in patterns:
        source = _CASE_FREE_SYNTAX.sub("", scan.pattern.pattern)
        if source == source.lower() and "(?-i" not in source:
            assert scan.twin is not None, name
    twins = [name for name, scan in patterns if scan.twin is not None]
    assert len(twins) >= 0.8 * len(patterns), twins


def test_a_month_stems_dotless_i_also_accepts_i() -> None:
    assert _either_i("naurız") == "naur[ıi]z"
    assert _either_i("mausım(?!dı[qğ])") == "maus[ıi]m(?!d[ıi][qğ])"
    assert _either_i("[ıy]k") == "[ıiy]k" and _either_i("қазан") == "қазан"


# letters a lowered text may hold, some with more cases than upper and lower, or newer ones
_TEXT_LETTERS = ["a", "A", "i", "I", "ı", "k", "\u212a", "s", "σ", "ж", "Ж", "ƛ", "\ua7dc", "1", " "]
_LETTERS = [*_TEXT_LETTERS, "İ", "ſ", "ς", "Σ", "ß"]
_CLASS_PARTS = st.one_of(
    st.sampled_from(_LETTERS).map(regex.escape),
    st.sampled_from([r"\w", r"\d", r"\s", r"\W", r"\p{L}", r"\p{Lu}", "a-z", "A-Z", "а-я", "А-Я"]),
)
_ATOMS = st.one_of(
    st.sampled_from(_LETTERS).map(regex.escape),
    st.builds(lambda neg, parts: "[" + neg + "".join(parts) + "]", st.sampled_from(["", "^"]),
              st.lists(_CLASS_PARTS, min_size=1, max_size=3)),
    st.sampled_from([r"\w", r"\b", ".", r"\d", "(?-i:a)", "(?-i:A)"]),
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_ATOMS, min_size=1, max_size=4).map("".join),
    st.lists(st.sampled_from(_TEXT_LETTERS), max_size=12),
)
def test_a_pattern_that_qualifies_finds_what_it_finds_as_written(source: str, letters: list[str]) -> None:
    """The check itself: random classes of troublesome letters, on random texts that qualify."""
    scan = CaselessPattern(regex.compile(source, FLAGS))
    text = "".join(letters)
    assert lowered_text(text) is not None
    assert _same(scan, text), (source, text, scan.twin is not None)


def test_what_can_tell_cases_apart_is_matched_as_written() -> None:
    assert CaselessPattern(regex.compile(r"\d+-(?-i:[IVX]+)", FLAGS)).twin is None  # case switched off
    assert CaselessPattern(regex.compile(r"[IVX]+ квартал", FLAGS)).twin is None  # capitals
    assert CaselessPattern(regex.compile(r"ırküyek", FLAGS)).twin is None  # «I» is a case of «ı» and «i»
    assert CaselessPattern(regex.compile(r"[iı]rküyek", FLAGS)).twin is not None  # both: the same
    assert CaselessPattern(regex.compile(r"(\w)\1", FLAGS)).twin is None  # a backreference compares cases
    assert CaselessPattern(regex.compile(r"\p{Lu}\w+", FLAGS)).twin is None  # a property of case
    assert CaselessPattern(regex.compile(r"жыл", regex.MULTILINE)).twin is None  # never case-insensitive
    assert CaselessPattern(regex.compile(r"[^A]x", FLAGS)).twin is None  # no case of «a» is «A»: «a» is out
    assert CaselessPattern(regex.compile(r"[^a]x", FLAGS)).twin is not None
    assert CaselessPattern(regex.compile(r"ıı", FLAGS)).twin is None  # a string folds: «ıı» matches «II»


def test_a_text_qualifies_where_its_lower_case_stands_for_every_case() -> None:
    assert lowered_text("Жыл ҚАҢТАР Ivan") == "жыл қаңтар ivan"
    for text in ("İstanbul", "Straße", "ſ", "µg", "ς", "Ꭰ"):
        assert lowered_text(text) is None, text
    assert lowered_text("") == "" and lowered_text("Жыл 🙂 𐐀") == "жыл 🙂 𐐨"


def test_the_case_table_leaves_out_no_character_with_other_cases() -> None:
    cases, _ = _case_table()
    for code in range(CASED_PLANES_END):
        char = chr(code)
        lower = char.lower()
        if len(lower) == 1 and lower == char.casefold() and code not in cases:
            assert len(_regex.get_all_cases(regex.IGNORECASE | regex.UNICODE, code)) == 1, hex(code)
            assert lower == char, hex(code)
    assert cases[ord("Ж")] and cases[0x19B]  # ƛ: a case pair newer than Python's Unicode tables


def test_no_character_past_the_table_has_cases() -> None:
    flags = regex.IGNORECASE | regex.UNICODE
    for code in range(CASED_PLANES_END, 0x110000):
        assert len(_regex.get_all_cases(flags, code)) == 1 and chr(code).lower() == chr(code), hex(code)


def test_a_class_with_a_letter_whose_cases_python_does_not_know_is_matched_as_written() -> None:
    assert CaselessPattern(regex.compile("\u019b", FLAGS)).twin is None


def test_corpus_texts_give_the_same_matches() -> None:
    patterns, texts = _patterns(), 0
    for path in input_files([CORPUS]):
        for article in read_file(path):
            if isinstance(article, Article):
                texts += lowered_text(article.text) is not None
                for name, scan in patterns:
                    assert _same(scan, article.text), (name, article.doc_id)
    assert texts > 30  # most texts are matched lower-cased


_PIECES = st.sampled_from(
    ["2023", "2022 жылы", " жылғы ", "в 2023 году", "за 9 месяцев 2024 года", "январь–март 2023 г.",
     "ЯНВАРЯ", "Қаңтар", "қаңтардағы", "ırküyek", "Irküyek", "IRKÜYEK", "İ", "I", "ı", "i", "ſ", "ß",
     "ẞ", "K", "µ", "ς", "🙂", "𐐀", "𐐨", "по сравнению с прошлым годом", "ПО СРАВНЕНИЮ С", "Былтырғы",
     "өткен жылы",
     "IV квартал", "II тоқсан", "185-IV", "185-i", "www.gov.kz", "HTTP://X.KZ/a", "тел.: 8 (7172) 55-66-77",
     "12:30", "01.02.2023", "№ 5", "#3", "&#39;", "Барлығы: 5", " ", "\n", ",", ".", "-", "–"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_any_text_gives_the_same_matches(text: str) -> None:
    for name, scan in _patterns():
        assert _same(scan, text), name


_PREFIX_PIECES = st.sampled_from(["Жыл", "ҚАҢТАР", "İ", "ß", "ı", "Σ", "ς", " ", "x" * 4990, "Ǆ", "ﬀ"])


@given(text=st.lists(_PREFIX_PIECES, max_size=12).map("".join))
def test_a_lowered_text_cut_is_the_cut_text_casefolded(text: str) -> None:
    # detect_language and the mask hints read the lowered text in place of a casefolded copy
    lowered = lowered_text(text)
    if lowered is not None:
        assert lowered == text.casefold()
        assert lowered[:5000] == text[:5000].casefold()
