"""Tokens with exact character offsets: words, numbers and percent signs."""

from __future__ import annotations

from typing import NamedTuple

import regex

# Digits: groups of three after a space, no-break or narrow no-break space, or plain digits;
# an optional decimal part; an optional Kazakh suffix joined by a hyphen («27 964-і»).
# Dots between two or more groups of three are thousands separators («1.250.000»).
_NUMBER = (
    r"(?<![\p{L}\p{N}.,])(?<!\p{L}[-‐])"
    r"(?:\d{1,3}(?:\.\d{3}){2,}(?![.,]?\d)"
    r"|(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+)"
    r"(?:[,.]\d+(?![.,]?\d))?)"
)
# A run of letters; combining accents belong to it («n\u0301», typed for «ń» of Kazakh Latin).
_LETTERS = r"\p{L}+(?:\p{M}+\p{L}*)*"
_TOKEN = regex.compile(
    rf"(?P<num>{_NUMBER})(?:[-‐](?P<nsuffix>{_LETTERS}(?:['’]{_LETTERS})*))?"
    rf"|(?P<pct>%)(?:[-‐]?(?P<psuffix>{_LETTERS}(?:['’]{_LETTERS})*))?"
    rf"|(?P<word>{_LETTERS}(?:[-‐'’]{_LETTERS})*)"
)
WORD = regex.compile(rf"{_LETTERS}(?:[-‐'’]{_LETTERS})*")


class Token(NamedTuple):
    """A named tuple, not a dataclass: documents hold many thousands, made three times faster."""

    kind: str  # "word", "num" or "pct"
    text: str  # the characters of the token (for a number: digits only)
    start: int
    end: int  # end of the token including any joined suffix
    norm: str  # normalized word, or the suffix of a number / percent sign
    suffix: str = ""
    lemma: str = ""  # normalized lemma, where a tagger gave one
    upos: str = ""  # universal part of speech, where a tagger gave one

    def forms(self) -> tuple[str, ...]:
        """The normalized forms a lexicon term may match: the word, and its lemma if known."""
        return (self.norm, self.lemma) if self.lemma and self.lemma != self.norm else (self.norm,)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end] with offsets into the whole text."""
    from extractor.terms import normalize_word

    tokens = []
    add = tokens.append  # the loop runs once per word of every document
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        number, percent, word = m.group("num", "pct", "word")
        if word is not None:
            add(Token("word", word, *m.span(), normalize_word(word)))
        elif number is not None:
            suffix = normalize_word(m.group("nsuffix") or "")
            add(Token("num", number, *m.span(), suffix, suffix))
        elif percent is not None:
            suffix = normalize_word(m.group("psuffix") or "")
            add(Token("pct", "%", *m.span(), suffix, suffix))
    return tokens
