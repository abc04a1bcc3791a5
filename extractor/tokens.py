"""Tokens with exact character offsets: words, numbers and percent signs."""

from __future__ import annotations

from typing import Any, Final, NamedTuple

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
# Words first: most tokens are words, and the branches start with disjoint characters
# (a letter, a digit, «%»), so the order changes no match, only how soon one is found.
# The text is split by this pattern, not scanned match by match: split gives each gap and
# each token's groups in one call, and offsets are the running sum of their lengths.
_TOKEN = regex.compile(
    rf"(?P<word>{_LETTERS}(?:[-‐'’]{_LETTERS})*)"
    rf"|(?P<numeral>(?P<num>{_NUMBER})(?:[-‐](?P<nsuffix>{_LETTERS}(?:['’]{_LETTERS})*))?)"
    rf"|(?P<percent>%(?:[-‐]?(?P<psuffix>{_LETTERS}(?:['’]{_LETTERS})*))?)"
)
_STRIDE: Final = 7  # what split gives per token: the gap before it, then the six groups above
WORD = regex.compile(rf"{_LETTERS}(?:[-‐'’]{_LETTERS})*")
LETTER_RUN = regex.compile(r"\p{L}+")  # letters only: no marks, no inner hyphen or apostrophe


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


# A named tuple made from its fields in order, without NamedTuple's __new__: compiled code
# calls that through the interpreter (three times the cost). For the tuples made per word,
# per match and per figure; every field is given, defaults too.
new_tuple: Final = tuple.__new__
_NORMS: dict[str, str] = {}  # written word -> normalized, bounded by the vocabulary


def _norm(word: str) -> str:
    norm = _NORMS.get(word)
    if norm is None:
        from extractor.terms import normalize_word

        if len(_NORMS) > 200_000:
            _NORMS.clear()
        norm = _NORMS[word] = normalize_word(word)
    return norm


def tokenize(text: str) -> list[Token]:
    """Tokens of the text, with their character offsets."""
    tokens: list[Token] = []
    # concurrent=False, here and in the other scans of a whole text or paragraph: by default
    # regex lets go of the GIL around each match and takes it back to allocate, for threads a
    # worker has not. Not on short calls: passing the keyword costs them more than it saves.
    parts: list[Any] = _TOKEN.split(text, concurrent=False)  # gap, 6 groups, gap, 6 groups, …, gap
    end = 0
    for k in range(0, len(parts) - 1, _STRIDE):
        gap: str = parts[k]
        start = end + len(gap)
        word: str | None = parts[k + 1]
        if word is not None:
            end = start + len(word)
            norm = _NORMS.get(word) or _norm(word)  # the lookup inline: a call per word costs
            tokens.append(new_tuple(Token, ("word", word, start, end, norm, "", "", "")))
            continue
        numeral: str | None = parts[k + 2]
        if numeral is not None:
            end = start + len(numeral)
            suffix: str | None = parts[k + 4]
            norm = _norm(suffix) if suffix else ""
            tokens.append(new_tuple(Token, ("num", parts[k + 3], start, end, norm, norm, "", "")))
        else:
            percent: str = parts[k + 5]
            end = start + len(percent)
            suffix = parts[k + 6]
            norm = _norm(suffix) if suffix else ""
            tokens.append(new_tuple(Token, ("pct", "%", start, end, norm, norm, "", "")))
    return tokens
