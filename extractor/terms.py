"""Terms: word sequences from patterns/ matched against tokens (see patterns/README.md)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

import regex
import yaml

from extractor.resources import patterns_dir
from extractor.tokens import Token, new_tuple

# Between two words of a term the text may hold spaces or one parenthesised aside.
_GAP = regex.compile(r"\s*(?:\([^()\n]{0,40}\)\s*)?")


@cache
def _equivalents() -> dict[int, str]:
    """Letters written interchangeably (patterns/document.yaml, `letter_equivalents`)."""
    path = patterns_dir() / "document.yaml"
    mapping = yaml.safe_load(path.read_text(encoding="utf-8")).get("letter_equivalents") or {}
    return str.maketrans({str(k): str(v) for k, v in mapping.items()})


@cache
def _equivalent_letters() -> str:
    return "".join(map(chr, _equivalents()))


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Case- and spelling-insensitive form of a word. NFC first: «ń» is typed both as one
    character and as n with a combining accent."""
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    folded = word.casefold()
    for letter in _equivalent_letters():  # translate() costs 50 ns a character; most words need none
        if letter in folded:
            return folded.translate(_equivalents())
    return folded


class TermMatch(NamedTuple):
    """A named tuple, not a dataclass: lexicon lookups make many, and tuples are made faster."""

    label: Any  # a concept name, a region code, a scale… as the lexicon says
    term: str
    first: int  # index of the first token
    last: int  # index of the last token
    start: int  # character offsets in the text
    end: int


@dataclass(frozen=True)
class _Term:
    text: str
    label: Any
    words: tuple[tuple[str, bool], ...]  # (normalized word, is_prefix)


def _parse_term(text: str, label: object) -> _Term:
    words = []
    for raw in text.split():
        prefix = raw.endswith("*")
        word = normalize_word(raw.rstrip("*"))
        if not word:
            raise ValueError(f"term {text!r} has an empty word")
        words.append((word, prefix))
    if not words:
        raise ValueError("empty term")
    return _Term(text, label, tuple(words))


def _word_matches(word: tuple[str, bool], forms: tuple[str, ...]) -> bool:
    stem, prefix = word
    if not prefix:
        return stem in forms
    for form in forms:  # noqa: SIM110 (a loop, not any(): this runs for every candidate term)
        if form.startswith(stem):
            return True
    return False


class TermSet:
    """A set of labelled terms, matched leftmost-longest on word tokens."""

    def __init__(self, labelled: Iterable[tuple[object, str]], lemmas: bool = False) -> None:
        # lemmas: a term also matches a word whose lemma it names (cue lexicons); other
        # lexicons match written forms only, as their authors chose exact or prefix forms
        self.lemmas = lemmas
        self._exact: dict[str, list[_Term]] = {}
        self._prefix: dict[str, list[_Term]] = {}
        self._prefix_lengths: set[int] = set()
        self.size = 0
        self._seen: dict[tuple[str, ...], list[_Term]] = {}
        self._seen_word: dict[str, list[_Term]] = {}  # the same, keyed by one written form
        self._last_exact: set[str] = set()  # last words of terms, exact and prefix
        self._last_prefix: set[str] = set()
        self._ends: dict[str, bool] = {}  # written form -> whether some term may end on it
        self._multi: dict[str, bool] = {}  # written form -> whether a term of 2+ words starts with it
        # first word -> the next word's form(s), or None -> the candidates fitting both
        self._pairs: dict[str, dict[object, list[_Term]]] = {}
        self._pair_count = 0
        self._labels: dict[object, None] = {}  # in first-seen order; a dict: gazetteers hold 10⁴ labels
        for label, text in labelled:
            self._labels.setdefault(label)
            term = _parse_term(text, label)
            stem, is_prefix = term.words[0]
            if is_prefix:
                self._prefix.setdefault(stem, []).append(term)
                self._prefix_lengths.add(len(stem))
            else:
                self._exact.setdefault(stem, []).append(term)
            last, last_is_prefix = term.words[-1]
            (self._last_prefix if last_is_prefix else self._last_exact).add(last)
            self.size += 1
        self._last_lengths = sorted({len(stem) for stem in self._last_prefix})

    @classmethod
    def from_mapping(cls, mapping: dict[object, Sequence[str]], lemmas: bool = False) -> TermSet:
        return cls(((label, term) for label, terms in mapping.items() for term in terms), lemmas)

    def labels(self) -> tuple[object, ...]:
        return tuple(self._labels)

    def _candidates(self, *forms: str) -> list[_Term]:
        # words repeat across a corpus; the cache is bounded by its vocabulary
        cached = self._seen.get(forms)
        if cached is None:
            if len(self._seen) > 100_000:
                self._seen.clear()
            cached = self._seen[forms] = self._lookup(forms)
        return cached

    def _candidates_for(self, token: Token) -> list[_Term]:
        """_candidates of the token's forms; the hot path of every lexicon lookup."""
        if self.lemmas and token.lemma and token.lemma != token.norm:
            return self._candidates(token.norm, token.lemma)
        cached = self._seen_word.get(token.norm)
        if cached is None:
            if len(self._seen_word) > 100_000:
                self._seen_word.clear()
            cached = self._seen_word[token.norm] = self._lookup((token.norm,))
        return cached

    def may_end(self, token: Token) -> bool:
        """Whether some term may end on this token's word (a cheap test before matching back)."""
        if token.kind != "word":
            return False
        if self.lemmas and token.lemma:
            return any(self._ends_on(form) for form in token.forms())
        known = self._ends.get(token.norm)
        if known is None:
            if len(self._ends) > 100_000:
                self._ends.clear()
            known = self._ends[token.norm] = self._ends_on(token.norm)
        return known

    def _ends_on(self, norm: str) -> bool:
        return norm in self._last_exact or any(norm[:n] in self._last_prefix for n in self._last_lengths)

    def may_start(self, token: Token) -> bool:
        """Whether some term begins with this token's word (a cheap test before matching)."""
        return token.kind == "word" and bool(self._candidates_for(token))

    def _lookup(self, forms: tuple[str, ...]) -> list[_Term]:
        found: list[_Term] = []
        for norm in forms:
            found.extend(self._exact.get(norm, ()))
            for length in self._prefix_lengths:
                if length <= len(norm):
                    found.extend(self._prefix.get(norm[:length], ()))
        return list({id(t): t for t in found}.values()) if len(forms) > 1 else found

    def match_at(self, tokens: Sequence[Token], i: int, text: str) -> TermMatch | None:
        """The longest term starting at word token i, if any."""
        token = tokens[i]
        if token.kind != "word":
            return None
        # most words start no term: told from the cache of written forms without a call
        candidates = None if token.lemma else self._seen_word.get(token.norm)
        if candidates is None:
            candidates = self._candidates_for(token)
        return self._longest(candidates, tokens, i, text) if candidates else None

    def _longest(
        self, candidates: list[_Term], tokens: Sequence[Token], i: int, text: str
    ) -> TermMatch | None:
        best: _Term | None = None
        best_last = -1
        for term, last in self._matching(candidates, tokens, i, text):
            if best is None or (last, len(term.text)) > (best_last, len(best.text)):
                best, best_last = term, last
        if best is None:
            return None
        match = (best.label, best.text, i, best_last, tokens[i].start, tokens[best_last].end)
        return new_tuple(TermMatch, match)

    def _matching(
        self, candidates: list[_Term], tokens: Sequence[Token], i: int, text: str
    ) -> Iterable[tuple[_Term, int]]:
        """(term, index of its last token) of the candidates that match at token i."""
        token = tokens[i]
        if self.lemmas and token.lemma:
            yield from self._matching_forms(candidates, tokens, i, text)
            return
        fitting, j = self._fitting(candidates, tokens, i, text)
        for term in fitting:
            if len(term.words) == 1:
                yield term, i
            elif len(term.words) == 2:
                yield term, j  # _fitting checked the second word: j is that word's index
            else:
                last = _match_rest(term, tokens, i, text, self.lemmas)
                if last is not None:
                    yield term, last

    def _fitting(
        self, candidates: list[_Term], tokens: Sequence[Token], i: int, text: str
    ) -> tuple[list[_Term], int]:
        """The candidates of token i's word whose second word (if any) fits the next word, and
        that word's index (-1: none looked for or found). Most candidates of a common first
        word («в …») fail on the second; the answer is kept per pair of words."""
        first = tokens[i].norm
        multi = self._multi.get(first)
        if multi is None:
            if len(self._multi) > 100_000:
                self._multi.clear()
            multi = self._multi[first] = any(len(t.words) > 1 for t in candidates)
        j = _next_word(tokens, i, text) if multi else None
        second = tokens[j] if j is not None and tokens[j].kind == "word" else None
        # keyed by word, then by the next word's form: no tuple made for the common case
        after: object = None
        if second is not None:
            after = (second.norm, second.lemma) if self.lemmas else second.norm
        pairs = self._pairs.get(first)
        if pairs is None:
            pairs = self._pairs[first] = {}
        fitting = pairs.get(after)
        if fitting is None:
            self._pair_count += 1
            if self._pair_count > 200_000:  # bounded by the vocabulary, as the other caches
                self._pairs.clear()
                self._pair_count = 0
                pairs = self._pairs[first] = {}
            forms = () if second is None else second.forms() if self.lemmas else (second.norm,)
            fitting = pairs[after] = [
                t for t in candidates if len(t.words) == 1 or _word_matches(t.words[1], forms)
            ]
        return fitting, -1 if j is None else j

    def _matching_forms(
        self, candidates: list[_Term], tokens: Sequence[Token], i: int, text: str
    ) -> Iterable[tuple[_Term, int]]:
        """_matching for a token with a lemma: its candidates depend on more than its word."""
        for term in candidates:
            last = _match_rest(term, tokens, i, text, self.lemmas)
            if last is not None:
                yield term, last

    def find_every(self, tokens: Sequence[Token], text: str) -> list[TermMatch]:
        """At each token, the longest match of every label: cues of different concepts may overlap."""
        matches: list[TermMatch] = []
        seen = self._seen_word
        for i, token in enumerate(tokens):
            if token.kind != "word":
                continue
            candidates = None if token.lemma else seen.get(token.norm)  # the cache, without a call
            if candidates is None:
                candidates = self._candidates_for(token)
            if not candidates:
                continue
            best: dict[object, TermMatch] = {}
            for term, last in self._matching(candidates, tokens, i, text):
                known = best.get(term.label)
                if known is None or last > known.last:
                    match = (term.label, term.text, i, last, token.start, tokens[last].end)
                    best[term.label] = new_tuple(TermMatch, match)
            matches.extend(best.values())
        return matches

    def suffix_of(self, match: TermMatch, token: Token) -> str:
        """What follows the matched stem in the match's last word («адамға» after «адам*»)."""
        stem = normalize_word(match.term.split()[-1].rstrip("*"))
        return token.norm[len(stem) :] if token.norm.startswith(stem) else ""

    def find_all(self, tokens: Sequence[Token], text: str) -> list[TermMatch]:
        """Leftmost-longest, non-overlapping matches."""
        matches: list[TermMatch] = []
        i, count, seen = 0, len(tokens), self._seen_word
        while i < count:
            # most words start no term: rejected here from the cache, without a call
            token = tokens[i]
            candidates = None
            if token.kind == "word":
                candidates = None if token.lemma else seen.get(token.norm)
                if candidates is None:
                    candidates = self._candidates_for(token)
            if not candidates:
                i += 1
                continue
            match = self._longest(candidates, tokens, i, text)
            if match is None:
                i += 1
            else:
                matches.append(match)
                i = match.last + 1
        return matches

    def matches_word(self, norm: str) -> Any:
        """Label of a one-word term matching this normalized word."""
        for term in self._candidates(norm):
            if len(term.words) == 1:
                return term.label
        return None


def _match_rest(term: _Term, tokens: Sequence[Token], i: int, text: str, lemmas: bool) -> int | None:
    position = i
    for k, word in enumerate(term.words):
        if k > 0:
            following = _next_word(tokens, position, text)
            if following is None:
                return None
            position = following
        token = tokens[position]
        if token.kind != "word" or not _word_matches(word, token.forms() if lemmas else (token.norm,)):
            return None
    return position


def _next_word(tokens: Sequence[Token], position: int, text: str) -> int | None:
    """Index of the token that may continue a term after `position` (skipping an aside)."""
    end = tokens[position].end
    count = len(tokens)
    if position + 1 < count and text[end : tokens[position + 1].start] in ("", " "):
        return position + 1  # the usual case, told without the regex
    for j in range(position + 1, min(count, position + 8)):
        gap = text[end : tokens[j].start]
        if _GAP.fullmatch(gap):
            return j
        if len(gap) > 45:
            break
    return None


def ending_at(terms: TermSet, tokens: Sequence[Token], index: int, text: str) -> TermMatch | None:
    """A term whose last word is tokens[index]."""
    if not terms.may_end(tokens[index]):
        return None
    for start in range(max(0, index - 3), index + 1):
        match = terms.match_at(tokens, start, text)
        if match is not None and match.last == index:
            return match
    return None


class TermGroup:
    """Several term sets searched in one pass over the tokens: most words start a term of
    none of them, and one lookup per word tells which sets to try where."""

    def __init__(self, sets: Sequence[TermSet]) -> None:
        self.sets = tuple(sets)
        self._seen: dict[str, tuple[int, ...]] = {}

    def sets_at(self, token: Token) -> tuple[int, ...]:
        """Indexes of the sets some term of which begins with this word token's word."""
        if token.lemma:  # lemma-matching sets depend on more than the written form
            return tuple(k for k, terms in enumerate(self.sets) if terms._candidates_for(token))
        hit = self._seen.get(token.norm)
        if hit is None:
            if len(self._seen) > 200_000:
                self._seen.clear()
            hit = self._seen[token.norm] = tuple(
                k for k, terms in enumerate(self.sets) if terms._candidates_for(token)
            )
        return hit

    def find_all(self, tokens: Sequence[Token], text: str) -> list[list[TermMatch]]:
        """Per set, what its find_all gives: leftmost-longest, non-overlapping matches."""
        positions: list[list[int]] = [[] for _ in self.sets]
        for i, token in enumerate(tokens):
            if token.kind == "word":
                for k in self.sets_at(token):
                    positions[k].append(i)
        found = []
        for terms, where in zip(self.sets, positions, strict=True):
            matches: list[TermMatch] = []
            after = -1
            for i in where:
                if i > after and (match := terms._longest(terms._candidates_for(tokens[i]), tokens, i, text)):
                    matches.append(match)
                    after = match.last
            found.append(matches)
        return found
