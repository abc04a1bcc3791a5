"""Other scripts of a language: term variants derived from its patterns by a table.

patterns/<code>/script.yaml maps each letter of the language's script to its renderings in
other alphabets (a Cyrillic language's Latin alphabets, say). Terms, endings and regular
expressions written once are matched in every alphabet; a language without the file has
no variants.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import regex

from extractor.resources import patterns_dir
from extractor.schema import PatternFile
from extractor.terms import normalize_word

PATTERNS_DIR = patterns_dir()
# An apostrophe that no letter follows is not part of a word (the tokenizer drops it).
_LOOSE_APOSTROPHE = regex.compile(r"['’]+(?!\p{L})")
# Escapes whose argument is in braces: \p{L}, \P{Lu}, \N{NAME}.
_BRACED_ESCAPE = regex.compile(r"\\[pPN]\{[^}]*\}|\\.", regex.DOTALL)


@dataclass(frozen=True)
class Alphabet:
    name: str
    letters: dict[str, tuple[str, ...]]  # letter (and its capital) -> renderings
    first: dict[int, str]  # str.translate table to the first renderings
    several: frozenset[str]  # letters with more than one rendering


@dataclass(frozen=True, eq=False)  # hashed by identity: one table per file, cached
class ScriptTable:
    source: frozenset[str]
    alphabets: tuple[Alphabet, ...]
    max_variants: int

    def variants(self, term: str) -> tuple[str, ...]:
        """The term, then its distinct forms in the other alphabets."""
        return _variants(self, term)

    def regex(self, source: str) -> str:
        """A regular expression that also matches every rendering of its letters."""
        return _derive_regex(self, source)


def load_script(folder: Path) -> ScriptTable | None:
    """The table of patterns/<code>/script.yaml, or None where the language has none."""
    path = folder / "script.yaml"
    return _load(path) if path.is_file() else None


def script_variants(code: str, term: str) -> tuple[str, ...]:
    """The term and its forms in the language's other scripts (the term alone if none)."""
    table = load_script(PATTERNS_DIR / code)
    return table.variants(term) if table is not None else (term,)


@cache
def _load(path: Path) -> ScriptTable:
    f = PatternFile(path, script=None)
    source = f.get("source")
    if not isinstance(source, str) or not source:
        raise f.error("source", "must be a string of the letters the alphabets render")
    limit = f.integer("max_variants")
    if limit < 1:
        raise f.error("max_variants", "must be at least 1")
    mapping = f.get("alphabets")
    if not isinstance(mapping, dict) or not mapping:
        raise f.error("alphabets", "must map alphabet names to letter tables")
    letters = frozenset(source)
    alphabets = tuple(_alphabet(f, str(name), letters) for name in mapping)
    return ScriptTable(letters, alphabets, limit)


def _alphabet(f: PatternFile, name: str, letters: frozenset[str]) -> Alphabet:
    key = f"alphabets.{name}"
    table = f.get(key)
    if not isinstance(table, dict):
        raise f.error(key, "must map each letter of `source` to its rendering(s)")
    missing, extra = sorted(letters - set(table)), sorted(set(table) - letters)
    if missing or extra:
        raise f.error(key, f"letters missing {missing}, letters not in source {extra}")
    alphabet: dict[str, tuple[str, ...]] = {}
    for letter, value in table.items():
        options = value if isinstance(value, list) else [value]
        if not options or not all(isinstance(o, str) for o in options):
            raise f.error(f"{key}.{letter}", "must be a string or a non-empty list of strings")
        alphabet[letter] = tuple(options)
        # capitals render capitalized («Қ» → «Q», «Ш» → «Sh»), looked up without case folding
        alphabet[letter.upper()] = tuple(o[:1].upper() + o[1:] for o in options)
    first = str.maketrans({ch: options[0] for ch, options in alphabet.items()})
    several = frozenset(ch for ch, options in alphabet.items() if len(options) > 1)
    return Alphabet(name, alphabet, first, several)


@lru_cache(maxsize=100_000)
def _variants(table: ScriptTable, term: str) -> tuple[str, ...]:
    if table.source.isdisjoint(term.lower()):
        return (term,)
    seen = {normalize_word(term)}
    found = [term]
    for alphabet in table.alphabets:
        for form in _render(term, alphabet, table.max_variants):
            form = _LOOSE_APOSTROPHE.sub("", form) if "'" in form else form
            key = normalize_word(form)
            if key not in seen and form.strip("* "):
                seen.add(key)
                found.append(form)
    return tuple(found)


def _render(term: str, alphabet: Alphabet, limit: int) -> list[str]:
    """The term in one alphabet: every combination of renderings, or while there are more
    than `limit`, the combinations where all letters take their first, second… choice."""
    if alphabet.several.isdisjoint(term):
        return [term.translate(alphabet.first)]  # most terms: one rendering, at C speed
    slots = [alphabet.letters.get(ch) or (ch,) for ch in term]
    if math.prod(len(s) for s in slots) <= limit:
        return ["".join(parts) for parts in itertools.product(*slots)]
    widest = max(len(s) for s in slots)
    return ["".join(s[min(k, len(s) - 1)] for s in slots) for k in range(widest)]


@lru_cache(maxsize=1024)
def _derive_regex(table: ScriptTable, source: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            escape = _BRACED_ESCAPE.match(source, i)
            end = escape.end() if escape else len(source)
            out.append(source[i:end])
        elif ch == "[":
            end = _class_end(source, i)
            out.append(_class(table, source[i:end]))
        else:
            end = i + 1
            out.append(_letter(table, ch.lower()) if ch.lower() in table.source else ch)
        i = end
    return "".join(out)


def _class_end(source: str, start: int) -> int:
    """Index after the `]` closing the character class that opens at `start`."""
    i = start + 1
    if source[i : i + 1] == "^":
        i += 1
    if source[i : i + 1] == "]":
        i += 1  # a `]` first in a class is a literal
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return min(i + 1, len(source))


def _renderings(table: ScriptTable, letter: str) -> tuple[list[str], list[str], bool]:
    """Single-character and longer renderings of a letter (itself included), and whether
    some alphabet drops it."""
    forms = {letter} | {o for alphabet in table.alphabets for o in alphabet.letters[letter]}
    if forms & {"ı", "i"}:
        forms |= {"ı", "i"}  # a capital I is either
    singles = sorted(f for f in forms if len(f) == 1)
    longer = sorted((f for f in forms if len(f) > 1), key=lambda f: (-len(f), f))
    return singles, longer, "" in forms


def _letter(table: ScriptTable, letter: str) -> str:
    singles, longer, droppable = _renderings(table, letter)
    single = "[" + "".join(singles) + "]"
    if not longer:
        return single + ("?" if droppable else "")
    options = [regex.escape(f) for f in longer] + [single]
    return "(?:" + "|".join(options) + ")" + ("?" if droppable else "")


def _class(table: ScriptTable, text: str) -> str:
    """A character class: its letters' renderings are added beside it, never inside it,
    so ranges and a leading `^` or `-` keep their meaning."""
    inner = text[1:-1]
    letters = {ch.lower() for ch in _BRACED_ESCAPE.sub("", inner) if ch.lower() in table.source}
    if not letters:
        return text
    singles, longer = set(), set()
    for letter in letters:
        one, more, _ = _renderings(table, letter)
        singles.update(one)
        longer.update(more)
    extra = [regex.escape(f) for f in sorted(longer, key=lambda f: (-len(f), f))]
    extra.append("[" + "".join(sorted(singles)) + "]")
    if inner.startswith("^"):
        return "(?:(?!" + "|".join(extra) + ")" + text + ")"
    return "(?:" + text + "|" + "|".join(extra) + ")"
