"""Kazakh (`kk`) for spaCy, built from derek's patterns/kk/ the way spaCy's language folders
are: tokenizer exceptions, infixes, stop words and the lexical attributes `like_num` reads.

spaCy has no Kazakh of its own; installing derek registers this class through the
`spacy_languages` entry point, so `spacy.blank("kk")` finds it. Every word list is written
once in Cyrillic in patterns/kk/ and gains its Latin forms from patterns/kk/script.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.attrs import LIKE_NUM
from spacy.lang.char_classes import (
    ALPHA,
    ALPHA_LOWER,
    ALPHA_UPPER,
    CONCAT_QUOTES,
    HYPHENS,
    LIST_ELLIPSES,
    LIST_ICONS,
)
from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS
from spacy.language import BaseDefaults, Language
from spacy.symbols import ORTH
from spacy.util import registry, update_exc

from extractor.langdata import PATTERNS_DIR
from extractor.schema import PatternFile
from extractor.terms import normalize_word

CODE = "kk"
_FOLDER = PATTERNS_DIR / CODE
_SIGNS = ("+", "-", "−", "±", "~", "≈")
_GROUPING = str.maketrans("", "", ",. \u00a0\u202f")  # decimal commas, grouping dots and spaces


@dataclass(frozen=True)
class NumberWords:
    """numbers.yaml's words, normalized, as `like_num` needs them."""

    words: frozenset[str]  # «бір», «жиырма», «жүз», «жарым»
    prefixes: tuple[str, ...]  # scale words with any ending: «мың*», «млн*»
    endings: tuple[str, ...]  # case, ordinal and other endings of a number word: «онға», «екінші»
    digit_suffixes: tuple[str, ...]  # after a hyphen: «5-ке», «2-нші», «27-сі»
    not_numbers: frozenset[str]  # number word and ending that make another word: «оны»


def _file(name: str) -> PatternFile:
    return PatternFile(_FOLDER / f"{name}.yaml")


def _normalized(forms: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize_word(f) for f in forms)


def number_words() -> NumberWords:
    f = _file("numbers")
    terms = [t for key in ("add", "multiply") for v in f.get(f"words.{key}").values() for t in v]
    terms += f.strings("words.half", [])
    words = {normalize_word(v) for t in terms if not t.endswith("*") for v in f.variants(t)}
    scales = [t for v in f.get("scales").values() for t in v]
    prefixes = {normalize_word(v).rstrip("*") for t in scales for v in f.variants(t)}
    words |= {normalize_word(v) for t in scales if not t.endswith("*") for v in f.variants(t)}
    suffix_keys = ("words.endings", "suffixes.partitive", "suffixes.ordinal")
    suffixes = {normalize_word(e).lstrip("-") for key in suffix_keys for e in f.forms(key, [])}
    return NumberWords(
        words=frozenset(words),
        prefixes=tuple(sorted(p for p in prefixes if p)),
        endings=tuple(sorted(_normalized(f.forms("words.endings", []) + f.forms("suffixes.ordinal", [])))),
        digit_suffixes=tuple(sorted(suffixes)),
        not_numbers=_normalized(f.forms("words.not_numbers", [])),
    )


_NUMBERS = number_words()


def like_num(text: str) -> bool:
    """«157,7», «48 298», «3/4», «жиырма», «мыңға», «екінші», «5-ке» are numbers."""
    if text.startswith(_SIGNS):
        text = text[1:]
    digits = text.translate(_GROUPING)
    if digits.isdigit():
        return True
    if digits.count("/") == 1 and all(part.isdigit() for part in digits.split("/")):
        return True
    head, hyphen, tail = text.partition("-")
    if hyphen and head.translate(_GROUPING).isdigit():
        return normalize_word(tail) in _NUMBERS.digit_suffixes
    word = normalize_word(text)
    if word in _NUMBERS.not_numbers:
        return False
    if word in _NUMBERS.words or word.startswith(_NUMBERS.prefixes):
        return True
    return any(word.endswith(e) and word[: -len(e)] in _NUMBERS.words for e in _NUMBERS.endings)


def stop_words() -> frozenset[str]:
    """stopwords.yaml's words in every script, lower case as spaCy's `is_stop` compares them."""
    return frozenset(form.lower() for form in _file("stopwords").forms("words"))


def abbreviations() -> list[str]:
    """Abbreviations that keep their period («млн.», «ж.», «т.б.»), in every script and in
    lower case, capitalized and upper case."""
    f = _file("language")
    bare = f.strings("abbreviations", []) + f.strings("name_abbreviations", [])
    written = [f"{a}." for a in bare] + f.strings("compound_abbreviations", [])
    forms = [v for item in written for v in f.variants(item)]
    return list(dict.fromkeys(c for form in forms for c in (form, form.capitalize(), form.upper())))


def tokenizer_exceptions() -> dict[str, list[dict[int, str]]]:
    return update_exc(BASE_EXCEPTIONS, {form: [{ORTH: form}] for form in abbreviations()})


# spaCy's infixes, except that a hyphen between letters stays inside the word, as derek's
# tokens keep it («сондай-ақ», «АӘК-пен», «Усть-Каменогорск»), and a Latin apostrophe too
# («g'alym» in the 2017 alphabet): spaCy's defaults split neither of those apostrophes.
_HYPHENS_NOT_MINUS = HYPHENS.replace("-", "").strip("|").replace("||", "")
TOKENIZER_INFIXES = (
    LIST_ELLIPSES
    + LIST_ICONS
    + [
        r"(?<=[0-9])[+\-\*^](?=[0-9-])",
        rf"(?<=[{ALPHA_LOWER}{CONCAT_QUOTES}])\.(?=[{ALPHA_UPPER}{CONCAT_QUOTES}])",
        rf"(?<=[{ALPHA}]),(?=[{ALPHA}])",
        rf"(?<=[{ALPHA}])(?:{_HYPHENS_NOT_MINUS})(?=[{ALPHA}])",
        rf"(?<=[{ALPHA}0-9])[:<>=/](?=[{ALPHA}])",
    ]
)


class KazakhDefaults(BaseDefaults):
    tokenizer_exceptions = tokenizer_exceptions()
    infixes = TOKENIZER_INFIXES
    lex_attr_getters = {LIKE_NUM: like_num}
    stop_words = stop_words()
    writing_system = {"direction": "ltr", "has_case": True, "has_letters": True}


class Kazakh(Language):
    lang = CODE
    Defaults = KazakhDefaults


# also where derek is imported from a source tree that was never installed (no entry points)
registry.languages.register(CODE, func=Kazakh)

__all__ = ["Kazakh"]
