"""Shortcuts taken for speed give what the plain way gives: month alternations grouped by
their first letter, language detection from the pipeline's tokens, publication stamps read
from a date pattern's own groups, furniture tested on a line's start, not the whole line,
tokens from one split of the text instead of a scan match by match, masks that look back
from a rare character to their lead, the skip-line patterns tried as one alternation, a
manifest row's time made once a second, the language of an article without figures
detected once."""

from __future__ import annotations

import ast
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

import extractor
from extractor import document, pipeline
from extractor.api import extract_text, run_files
from extractor.caseless import lowered_text
from extractor.document import Document, detect_language, document_rules, lay_out, mask_spans
from extractor.langdata import _alternation, available_languages, load_language
from extractor.reader import Article, input_files, read_file
from extractor.terms import normalize_word
from extractor.timeinfo import find_published
from extractor.tokens import _TOKEN, tokenize
from tests.conftest import CORPUS


def _spans(pattern: regex.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("code", available_languages())
def test_grouped_month_alternation_matches_as_the_plain_one(code: str) -> None:
    stems = [stem for _, stem in load_language(code).months]
    grouped = _alternation(stems)
    assert grouped != "(?:" + "|".join(stems) + ")"  # something was grouped
    flags = regex.IGNORECASE | regex.MULTILINE
    plain = regex.compile(r"\b(?:" + "|".join(stems) + r")\w*", flags)
    fast = regex.compile(r"\b" + grouped + r"\w*", flags)
    words = [regex.sub(r"\(\?!.*?\)|\[(.).*?\]", r"\1", stem) for stem in stems]  # a word per stem
    text = " ".join([*words, *(w.upper() for w in words), *(w + "ның" for w in words), "март", "мамандар"])
    assert _spans(fast, text) == _spans(plain, text)
    assert len(_spans(fast, text)) >= len(words)


def test_alternation_keeps_stems_that_do_not_open_with_a_plain_letter() -> None:
    assert _alternation(["ab", "ac", "a*b", "(?:x)"]) == "(?:a(?:b|c)|a*b|(?:x))"
    # ignore-case would join «a» and «A»: nothing is grouped then
    assert _alternation(["ab", "Ab", "ac"]) == "(?:ab|Ab|ac)"


def test_detection_from_tokens_agrees_with_detection_from_text() -> None:
    articles = [a for p in input_files([CORPUS]) for a in read_file(p) if isinstance(a, Article)]
    assert len(articles) > 20
    for article in articles:
        text = article.text
        assert detect_language(text, tokenize(text)) == detect_language(text), article.doc_id


@pytest.mark.parametrize(
    ("code", "stamp", "published"),
    [
        ("kk", "Жарияланды: 30 желтоқсан 2025 10:15", "2025-12-30"),
        ("kk", "Мұрағатталған 3 наурыз 2024", "2024-03-03"),
        ("ru", "Опубликовано 5 марта 2024, 10:15", "2024-03-05"),
        ("ru", "Опубликовано 31 февраля 2024", None),  # no such day
    ],
)
def test_a_publication_stamp_dates_the_article(code: str, stamp: str, published: str | None) -> None:
    body = "Облыста 120 адам жұмысқа орналасты." if code == "kk" else "В области 120 человек нашли работу."
    doc = Document(text=f"Заголовок\n{body}\n{stamp}", doc_id="d", source="", lang=code)
    lay_out(doc, load_language(code), tokenize(doc.text))
    assert find_published(doc, load_language(code)) == published


def test_a_stamp_sets_the_records_published_date() -> None:
    text = "Заголовок\nВ области 120 человек нашли работу в 2024 году.\nОпубликовано 5 марта 2024, 10:15"
    records = extract_text(text, lang="ru", tagger="none")
    assert records and all(r.published == "2024-03-05" for r in records)


@pytest.mark.parametrize(
    "line",
    [
        "  Подпишитесь на наш канал в Telegram, чтобы первыми узнавать новости региона и страны",
        "Жаңалықтарды Telegram арнамыздан оқыңыз " * 5,
        "ЁЛКА " * 20,  # ё is read as е
        "Straße " * 12,  # casefolding makes ß two letters
        "n\u0301 " * 40,  # ń typed with a combining accent: composed first
        "İ\u0307" * 30 + " жаңалықтар " * 4,  # the dot left of İ is dropped: the start is longer
        "қысқа жол",
        "",
    ],
)
def test_a_line_start_normalizes_as_the_whole_line_does(line: str) -> None:
    from extractor.document import _line_start
    from extractor.terms import normalize_word

    whole = normalize_word.__wrapped__(line.strip())
    for length in (0, 5, 34, 80):
        start = _line_start(line, length)
        assert whole.startswith(start) and len(start) >= min(length, len(whole))


def test_lines_are_not_kept_in_the_word_cache() -> None:
    from extractor.terms import normalize_word

    paragraph = "Облыста биыл 1 250 отбасы атаулы әлеуметтік көмек алды, бұл былтырғыдан көп. " * 4
    text = f"Атаулы көмек\n{paragraph}\n{paragraph.upper()}"
    lay_out(Document(text, "d", "", "kk"), load_language("kk"), tokenize(text))
    before = normalize_word.cache_info().currsize
    normalize_word(paragraph.strip())  # the cache's keys are not public: a miss grows it
    assert normalize_word.cache_info().currsize == before + 1


def test_words_without_equivalent_letters_skip_the_translation() -> None:
    import unicodedata

    from extractor.terms import _equivalents, normalize_word

    letters = "".join(map(chr, _equivalents()))
    words = ["Обычный", "жұмыссыздар", "PAIYZ", "n\u0301", "ß", *letters, *(f"а{c}б" for c in letters)]
    for word in words:
        slow = unicodedata.normalize("NFC", word).casefold().translate(_equivalents())
        assert normalize_word.__wrapped__(word) == slow, word
    assert normalize_word("Ёлка") == "елка" and normalize_word("paıyz") == "paiyz"


def _tokens_match_by_match(text: str) -> list[tuple[str, str, int, int, str, str]]:
    """(kind, text, start, end, norm, suffix) of each match of the tokenizer's pattern, one by one."""
    found = []
    for m in _TOKEN.finditer(text):
        if m.group("word") is not None:
            found.append(("word", m.group(), *m.span(), normalize_word(m.group()), ""))
        else:
            numeral = m.group("numeral") is not None
            kind, written, suffix = ("num", m.group("num"), "nsuffix") if numeral else ("pct", "%", "psuffix")
            norm = normalize_word(m.group(suffix)) if m.group(suffix) else ""
            found.append((kind, written, *m.span(), norm, norm))
    return found


_PIECES = st.sampled_from(
    ["12", "1 250", "1.250.000", "3,5", "-", "‐", "%", "%-ға", "-сі", "ы", "word", "Ёлка", "n\u0301",
     "’", "'", " ", "\u00a0", "\n", ".", ",", "2023", "x", "ı", "ǵ", "\u202f", "9" * 30]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_tokens_from_one_split_are_the_matches_one_by_one(text: str) -> None:
    tokens = [(t.kind, t.text, t.start, t.end, t.norm, t.suffix) for t in tokenize(text)]
    assert tokens == _tokens_match_by_match(text)


def test_tokens_of_the_corpus_are_the_matches_one_by_one() -> None:
    for path in input_files([CORPUS]):
        for article in read_file(path):
            if isinstance(article, Article):
                tokens = [(t.kind, t.text, t.start, t.end, t.norm, t.suffix) for t in tokenize(article.text)]
                assert tokens == _tokens_match_by_match(article.text), article.doc_id


# Masks written to scan fast (a lookbehind holding their `lead`, an alternation split in two),
# beside the plain spellings they stand for: masks only block characters, and the characters
# blocked must be the same.
_PLAIN = {
    ("url", "domain"): r"(?:https?://|www\.)\S+|(?<![\w-])[\w-]++\.(?:kz|ru|com|org|net|қаз)\b\S*",
    ("counter",): r"(?<!\p{L})\p{L}++\s*:\s*\d[\d ]*$",
    ("law_number",): r"(?<!\d)\d+-(?-i:[IVX]+)\b",
}
_MASK_PIECES = st.sampled_from(
    ["Word", "Қаралды", "ы", "a1", "x-y", " ", "  ", "\t", "\n", "\r\n", ":", "::", "1", "2 5", "905", "-",
     ".", "..", "kz", ".kz", "www.", "http://", "/", "IV", "XII", "i", "2024", "_"]
)  # fmt: skip


def _blocked(text: str, spans: Iterable[tuple[int, int]]) -> bytes:
    blocked = bytearray(len(text))
    for start, end in spans:
        blocked[start:end] = b"\x01" * (end - start)
    return bytes(blocked)


def _as_written(names: tuple[str, ...], text: str) -> bytes:
    """What the masks block, as mask_spans reads them (a lead widens a span)."""
    rules, spans = document_rules(), []
    for name in names:
        scan = rules.masks[name]
        led = document.LEAD in scan.pattern.groupindex
        for m in scan.finditer(text, lowered_text(text)):
            spans.append((document._lead_start(m) if led else m.start(), m.end()))
    return _blocked(text, spans)


def _plain(names: tuple[str, ...], text: str) -> bytes:
    pattern = regex.compile(_PLAIN[names], document_rules().masks[names[0]].pattern.flags)
    return _blocked(text, (m.span() for m in pattern.finditer(text)))


def test_every_mask_with_a_lead_has_its_plain_spelling_here() -> None:
    led = {name for name, scan in document_rules().masks.items() if document.LEAD in scan.pattern.groupindex}
    assert led and led <= {name for names in _PLAIN for name in names}


@pytest.mark.parametrize("names", list(_PLAIN))
@given(text=st.lists(_MASK_PIECES, max_size=24).map("".join))
def test_a_mask_written_to_scan_fast_blocks_what_its_plain_spelling_blocks(names, text: str) -> None:
    assert _as_written(names, text) == _plain(names, text)


@pytest.mark.parametrize("names", list(_PLAIN))
def test_a_mask_written_to_scan_fast_blocks_on_the_corpus_what_its_plain_spelling_blocks(names) -> None:
    found = 0
    for path in input_files([CORPUS]):
        for article in read_file(path):
            if isinstance(article, Article):
                plain = _plain(names, article.text)
                assert _as_written(names, article.text) == plain, article.doc_id
                found += plain.count(1)
    assert found or names == ("law_number",)  # the corpus holds some (no law numbers)


@pytest.mark.parametrize(
    ("text", "blocked"),
    [
        ("Сайт kazinform2024.kz хабарлады.", "kazinform2024.kz"),
        ("Қаралды: 1 250", "Қаралды: 1 250"),
        ("№ 185-IV заңы", "185-IV"),
    ],
)
def test_a_lead_is_blocked_with_its_mask(text: str, blocked: str) -> None:
    spans = mask_spans(text)
    start = text.index(blocked)
    assert any(s.start <= start and text.index(blocked) + len(blocked) <= s.end for s in spans)


def _context_after_stages(text: str, code: str) -> pipeline.Context:
    ctx = pipeline.Context(Document(text, "d", "", code), load_language(code))
    for stage in pipeline.STAGES:
        stage.run(ctx)
    return ctx


def test_a_document_without_figures_skips_the_places_and_yields_no_records() -> None:
    plain = _context_after_stages("Алматы облысында жаңа мектеп ашылды.\nОқушылар қуанышты.", "kk")
    assert not plain.found and plain.regions is None and plain.records == []
    counted = _context_after_stages("Алматы облысында 2023 жылы 12 мектеп ашылды.", "kk")
    assert counted.regions is not None and [r.region_code for r in counted.records] == ["KZ-19"]


def test_a_manifest_row_is_stamped_with_the_current_utc_second(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Облыста 2023 жылы 5 мың адам жұмысқа орналасты.", encoding="utf-8")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamps = [run_files([tmp_path], "none")[1][0].processed_at for _ in range(3)]
    after = dt.datetime.now(dt.UTC)
    for stamp in stamps:  # ISO text to the second, in UTC, between the two readings of the clock
        assert regex.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", stamp)
        assert before <= dt.datetime.fromisoformat(stamp) <= after


def test_an_article_without_figures_is_read_for_its_language_once(tmp_path: Path, monkeypatch) -> None:
    import extractor.api

    calls = []
    detect = extractor.api.detect_language
    monkeypatch.setattr(extractor.api, "detect_language", lambda *a: calls.append(a) or detect(*a))
    text = "Облыс әкімі жиналыс өткізді. Жиналысқа тұрғындар келді."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    records, (row,) = run_files([tmp_path], "none")
    assert records == [] and row.status == "ok" and row.lang == "kk"
    assert len(calls) == 1


_LINE_PIECES = st.sampled_from(
    ["12", ":", "30", " ", "None", "null", "nan", "NaN", "—", "(", ")", "x", "Жол", "5"]
)  # fmt: skip


@given(line=st.lists(_LINE_PIECES, max_size=8).map("".join))
def test_the_skip_lines_as_one_alternation_decide_as_each_pattern_does(line: str) -> None:
    import yaml

    from extractor.langdata import PATTERNS_DIR

    sources = yaml.safe_load((PATTERNS_DIR / "document.yaml").read_text(encoding="utf-8"))["skip_lines"]
    rules = document_rules()
    one_by_one = any(regex.search(src, line, regex.MULTILINE | regex.IGNORECASE) for src in sources.values())
    assert rules.skip_line is not None and rules.skip_anchored
    assert bool(rules.skip_line.match(line)) == one_by_one


@pytest.mark.parametrize("line", ["12:30", "None", "  42 ", "nan"])
def test_a_line_any_skip_pattern_matches_is_furniture(line: str) -> None:
    text = f"Заголовок\n{line}\nОблыста 2023 жылы 5 мектеп салынды."
    doc = lay_out(Document(text, "d", "", "kk"), load_language("kk"))
    assert [doc.text[s.start : s.end].strip() for s in doc.furniture] == [line.strip()]
    assert len(doc.paragraphs) == 2


def _new_tuple_calls() -> list[tuple[str, int, str, ast.Tuple]]:
    """Every `new_tuple(Class, (field, …))` of the package whose fields are written out."""
    calls = []
    for path in sorted(Path(extractor.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "new_tuple"
                and isinstance(node.args[0], ast.Name)
                and isinstance(node.args[1], ast.Tuple)
                and not any(isinstance(e, ast.Starred) for e in node.args[1].elts)
            ):
                calls.append((path.name, node.lineno, node.args[0].id, node.args[1]))
    return calls


def test_a_named_tuple_made_without_its_constructor_gets_every_field() -> None:
    calls = _new_tuple_calls()
    assert len(calls) >= 10  # the hot paths use it
    for name, line, cls_name, fields in calls:
        cls = next(
            getattr(module, cls_name)
            for module in list(sys.modules.values())
            if getattr(module, "__name__", "").startswith("extractor") and hasattr(module, cls_name)
        )
        assert len(fields.elts) == len(cls._fields), f"{name}:{line}: {cls_name} has {cls._fields}"


_SENTENCE_PIECES = st.sampled_from(["Word", "12", " ", ", ", "3,5", "%", "мың", "\n", "-"])


@given(
    text=st.lists(_SENTENCE_PIECES, max_size=20).map("".join),
    marks=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 6)), max_size=5),
)
def test_masked_tokens_are_those_holding_a_blocked_character(text: str, marks: list[tuple[int, int]]) -> None:
    tokens = tuple(tokenize(text))
    ctx = pipeline.Context(Document(text, "d", "", "kk"), load_language("kk"))
    ctx.blocked = bytearray(len(text))
    for start, length in marks:
        ctx.blocked[start : start + length] = b"\x01" * len(ctx.blocked[start : start + length])
    sentence = document.Sentence(0, len(text), 0, tokens)
    plain = {i for i, t in enumerate(tokens) if ctx.blocked.find(1, t.start, t.end) >= 0}
    assert pipeline._masked(ctx, sentence) == plain
