"""Long inputs: what one record carries is bounded, and a text without stops still reads."""

from __future__ import annotations

from extractor.api import extract_text
from extractor.document import MAX_SENTENCE_CHARS
from extractor.pipeline import MAX_RECORD_SENTENCE

CLAUSES = {
    "ru": "в 2023 году пособие получили {n} семей",
    "kk": "2023 жылы {n} отбасы жәрдемақы алды",
}


def endless(lang: str, count: int) -> str:
    """One sentence with no stop at all: clauses joined by commas."""
    return "Заголовок\n" + ", ".join(CLAUSES[lang].format(n=100 + k) for k in range(count))


def test_a_record_carries_its_sentence_cut_around_the_figure() -> None:
    for lang in CLAUSES:
        text = endless(lang, 600)
        records = extract_text(text, lang=lang, tagger="none")
        assert len(records) == 600
        for record in records:
            assert text[record.char_start : record.char_end] == record.value_text
            assert len(record.sentence) <= MAX_RECORD_SENTENCE + 2
            assert record.value_text in record.sentence
        assert any(r.sentence.startswith("…") for r in records)
        assert any(r.sentence.endswith("…") for r in records)


def test_a_short_sentence_is_kept_whole() -> None:
    text = "Заголовок\nВ 2023 году пособие получили 120 семей. Остальное позже."
    (record,) = extract_text(text, lang="ru", tagger="none")
    assert record.sentence == "В 2023 году пособие получили 120 семей."


def test_a_text_without_stops_is_read_in_bounded_sentences() -> None:
    from extractor.document import Document, lay_out
    from extractor.langdata import load_language

    text = endless("ru", 400)
    doc = lay_out(Document(text, "x", "", "ru"), load_language("ru"))
    assert len(doc.sentences) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in doc.sentences)
    # the cuts fall between words: no token is split
    starts = {t.start for s in doc.sentences for t in s.tokens}
    assert all(text[s.start - 1].isspace() for s in doc.sentences[1:] if s.start in starts)
