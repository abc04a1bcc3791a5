"""Case-insensitive patterns matched as case-sensitive ones on lower-cased text.

`regex` tests a set under IGNORECASE by listing every case of each character of the text,
which made the time patterns and masks about a third slower than the same sets matched as
written. Where nothing can tell the two apart, a pattern is matched without IGNORECASE on
the text lower-cased once:
- the text: lower-casing keeps every offset and agrees with case folding (no «İ», «ß», «ſ»),
  so a character's lower case stands for all its cases;
- the pattern: every character class in it (a letter, a set, a property) accepts a character
  of such a text exactly when it accepts its lower case, as `regex` itself lists the cases,
  and nothing in it switches IGNORECASE off or depends on more than one character at a time.
The engine then takes the same decision at every character, so matches, their order and
their groups' offsets are the same. Anything that does not qualify is matched as written.
The check reads the pattern's syntax tree through `regex`'s private parser: a version that
changes it only makes patterns not qualify.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import regex

try:  # private modules of regex: without them no pattern qualifies, and all match as written
    from regex import _regex, _regex_core
except ImportError:  # pragma: no cover
    _regex = _regex_core = None

_IGNORE = int(regex.IGNORECASE)
CASED_PLANES_END = 0x20000  # no character past the first two planes of Unicode has cases
# Nodes that consume no character, or any character whatever its case.
_CASE_FREE = (
    "Any", "AnyAll", "AnyU", "Boundary", "DefaultBoundary", "DefaultEndOfWord", "DefaultStartOfWord",
    "EndOfLine", "EndOfLineU", "EndOfString", "EndOfStringLine", "EndOfStringLineU", "EndOfWord",
    "SearchAnchor", "StartOfLine", "StartOfLineU", "StartOfString", "StartOfWord",
)  # fmt: skip
_NESTING = (
    "Sequence", "Branch", "Group", "Atomic", "LookAround", "GreedyRepeat", "LazyRepeat", "PossessiveRepeat",
)  # fmt: skip
_CLASSES = ("Character", "Range", "Property", "SetUnion", "SetInter", "SetDiff", "SetSymDiff")
_MAYBE_CASED = regex.compile(r"[\p{Cased}\p{Changes_When_Casemapped}\p{Changes_When_Casefolded}]")


_LAST: list[tuple[str, str | None]] = [("", "")]  # the last text asked for: two stages ask for one


def lowered_text(text: str) -> str | None:
    """The text lower-cased, where its lower case stands for every case of each character."""
    last_text, last = _LAST[0]
    if text is last_text:
        return last
    lower = text.lower()
    lowered = lower if len(lower) == len(text) and lower == text.casefold() else None
    _LAST[0] = (text, lowered)
    return lowered


class CaselessPattern:
    """A case-insensitive pattern, and its case-sensitive twin where one gives the same matches."""

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self.pattern = pattern
        self.twin: regex.Pattern[str] | None = None
        if pattern.flags & regex.IGNORECASE and _qualifies(pattern):
            self.twin = regex.compile(pattern.pattern, pattern.flags & ~regex.IGNORECASE)

    def finditer(self, text: str, lowered: str | None) -> Iterator[regex.Match[str]]:
        """Matches in `text`; `lowered`: lowered_text(text). A match's offsets index `text`, but
        its groups' strings may be lower-cased: read them from `text` by their offsets."""
        if lowered is not None and self.twin is not None:
            return self.twin.finditer(lowered, concurrent=False)
        return self.pattern.finditer(text, concurrent=False)


def _qualifies(pattern: regex.Pattern[str]) -> bool:
    if _regex_core is None:
        return False
    try:
        return _case_safe(_parse(pattern))
    except Exception:  # noqa: BLE001 (the private parser changed, or a node it does not know)
        return False


def _parse(pattern: regex.Pattern[str]) -> Any:
    core: Any = _regex_core
    flags = pattern.flags
    while True:  # as regex.compile does: a global inline flag («(?r)») restarts the parse
        source = core.Source(pattern.pattern)
        info = core.Info(flags, source.char_type, {})
        info.guess_encoding = core.UNICODE
        source.ignore_space = bool(info.flags & core.VERBOSE)
        try:
            parsed = core._parse_pattern(source, info)
        except core._UnscopedFlagSet:
            flags = info.global_flags
            continue
        if not source.at_end() or info.flags & core.FULLCASE:
            raise ValueError("not parsed as compiled")
        return parsed


def _case_safe(node: Any) -> bool:
    kind = type(node).__name__
    if kind in _CASE_FREE:
        return True
    if kind in _NESTING:
        parts = node.items if kind == "Sequence" else node.branches if kind == "Branch" else [node.subpattern]
        return all(_case_safe(part) for part in parts)
    ignore = bool(int(node.case_flags) & _IGNORE) if hasattr(node, "case_flags") else False
    if kind in ("String", "Literal"):
        return all(_literal_safe(code, ignore) for code in node.characters)
    if kind == "Character" and node.positive and not node.zerowidth:
        return _literal_safe(node.value, ignore)
    if kind in _CLASSES:
        return not node.zerowidth and _class_safe(_key(node), ignore)
    return False  # a backreference, a fuzzy or conditional part, a named list…: matched as written


@cache
def _literal_safe(code: int, ignore_case: bool) -> bool:
    """Whether a letter of the pattern matches the characters of a lowered text as it matches
    their lower case. Asked of the engine itself: a letter alone and a letter in a string are
    compared in different ways («ıı» matches «II», and so does «ı»)."""
    if not ignore_case:
        return _class_safe(("Character", True, code), False)
    cases, related = _case_table()
    upper = ord(chr(code).upper()) if len(chr(code).upper()) == 1 else -1
    pair = {code, upper}
    if set(cases.get(code, ())) == pair == set(cases.get(upper, ())) and set(related.get(code, ())) <= pair:
        return True  # a plain pair of cases («ж», «Ж»): nothing else to compare
    folded = ord(_regex.fold_case(_IGNORE | int(regex.UNICODE), chr(code)))
    alone = regex.compile(regex.escape(chr(code)), regex.IGNORECASE)
    twice = regex.compile(regex.escape(chr(code)) * 2, regex.IGNORECASE)
    near = {code, *related.get(code, ()), *related.get(folded, ()), *cases.get(code, ())}
    for other in near:
        char = chr(other)
        lower = char.lower()
        if len(lower) != 1 or lower != char.casefold():
            continue  # never in a lowered text
        same = lower == chr(code)
        if bool(alone.fullmatch(char)) != same or bool(twice.fullmatch(char * 2)) != same:
            return False
    return True


def _key(node: Any) -> tuple:
    """A character class as a hashable tuple (kind, positive, what it holds): classes repeat
    across patterns, and each is checked once."""
    kind = type(node).__name__
    if kind == "Character" or kind == "Property":
        return (kind, node.positive, node.value)
    if kind == "Range":
        return (kind, node.positive, node.lower, node.upper)
    if kind in _CLASSES:
        return (kind, node.positive, tuple(_key(item) for item in node.items))
    raise ValueError(f"not a character class: {kind}")


def _accepts(key: tuple, code: int) -> bool:
    kind, positive = key[0], key[1]
    if kind == "Character":
        found = code == key[2]
    elif kind == "Range":
        found = key[2] <= code <= key[3]
    elif kind == "Property":
        found = bool(_regex.has_property_value(key[2], code))
    elif kind == "SetUnion":
        found = any(_accepts(item, code) for item in key[2])
    elif kind == "SetInter":
        found = all(_accepts(item, code) for item in key[2])
    elif kind == "SetDiff":
        found = _accepts(key[2][0], code) and not any(_accepts(item, code) for item in key[2][1:])
    else:  # SetSymDiff
        found = sum(_accepts(item, code) for item in key[2]) % 2 == 1
    return found == positive


@cache
def _class_safe(key: tuple, ignore_case: bool) -> bool:
    """Whether the class accepts a cased character of a lowered text (see lowered_text) as it
    accepts its lower case. Where it ignores case, `regex` asks whether any case of the
    character is in the class's contents, then applies the class's own negation; a negation
    nested inside is not followed, and does not qualify. Other characters are the same
    lower-cased."""
    if ignore_case and _negated_inside(key):
        return False
    cases, related = _case_table()
    contents = (key[0], True, *key[2:])
    answers: dict[tuple[tuple, int], bool] = {}  # a character's cases overlap others': each asked once

    def accepts(which: tuple, code: int) -> bool:
        answer = answers.get((which, code))
        if answer is None:
            answer = answers[(which, code)] = _accepts(which, code)
        return answer

    relevant = _relevant(key, related)
    for code in cases if relevant is None else relevant:
        if ignore_case:
            accepted = any(accepts(contents, case) for case in cases[code]) == key[1]
        else:
            accepted = accepts(key, code)
        if accepts(key, ord(chr(code).lower())) != accepted:
            return False
    return True


def _negated_inside(key: tuple) -> bool:
    return key[0] in _CLASSES[3:] and any(not item[1] or _negated_inside(item) for item in key[2])


def _relevant(key: tuple, related: dict[int, list[int]]) -> set[int] | None:
    """The cased characters whose answer may differ from their lower case's: those related to a
    character of the class; None where the class is too large to list (a property)."""
    kind = key[0]
    if kind == "Character":
        return set(related.get(key[2], ()))
    if kind == "Range" and key[3] - key[2] <= 4096:
        return {code for member in range(key[2], key[3] + 1) for code in related.get(member, ())}
    if kind in _CLASSES[3:]:
        found: set[int] = set()
        for item in key[2]:
            part = _relevant(item, related)
            if part is None:
                return None
            found |= part
        return found
    return None


@cache
def _case_table() -> tuple[dict[int, tuple[int, ...]], dict[int, list[int]]]:
    """The cased characters of lowered texts (a one-character lower case that agrees with
    folding) with all their cases as `regex` lists them; and for each character, the cased
    characters it is a case or the lower case of."""
    cases: dict[int, tuple[int, ...]] = {}
    related: dict[int, list[int]] = {}
    flags, all_cases = int(regex.IGNORECASE | regex.UNICODE), _regex.get_all_cases
    # regex's case data, not Python's: its Unicode may be newer («ƛ» has a pair only there).
    # Only characters with case properties can have other cases (a test checks all of them).
    every = "".join(map(chr, (*range(0xD800), *range(0xE000, CASED_PLANES_END))))
    for char in _MAYBE_CASED.findall(every):
        code = ord(char)
        listed = tuple(all_cases(flags, code))
        lower = char.lower()
        if (len(listed) == 1 and lower == char) or len(lower) != 1 or lower != char.casefold():
            continue
        cases[code] = listed
        for other in {ord(lower), *listed}:
            related.setdefault(other, []).append(code)
    return cases, related
