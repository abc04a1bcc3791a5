"""Dictionary morphology beside Stanza, chosen per language by the model set's manifests.

A lemma manifest's `engine` names a lemmatizer; a POS manifest's `check` names a POS check.
pymorphy3 knows Russian inflection from OpenCorpora's dictionary: Stanza's UPOS picks among
its parses (participles and converbs go back to the infinitive, as UD lemmas do), and a
known word whose parses all contradict Stanza's UPOS gets the dictionary's part of speech.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache

Lemmatizer = Callable[[str, str], str]  # (word, UPOS) -> lemma
PosCheck = Callable[[str, str], str]  # (word, UPOS) -> UPOS

# UD UPOS -> OpenCorpora parts of speech it may be parsed as, the likeliest first
_UPOS_TO_OPENCORPORA = {
    "NOUN": ("NOUN",),
    "PROPN": ("NOUN",),
    "VERB": ("VERB", "INFN", "PRTF", "PRTS", "GRND"),
    "AUX": ("VERB", "INFN"),
    "ADJ": ("ADJF", "ADJS", "COMP", "PRTF", "PRTS"),
    "DET": ("ADJF", "NPRO"),
    "PRON": ("NPRO", "ADJF"),
    "ADV": ("ADVB", "PRED", "COMP"),
    "NUM": ("NUMR", "ADJF"),
    "ADP": ("PREP",),
    "CCONJ": ("CONJ",),
    "SCONJ": ("CONJ",),
    "PART": ("PRCL",),
    "INTJ": ("INTJ",),
}
_TO_INFINITIVE = {"PRTF", "PRTS", "GRND"}
_OPENCORPORA_TO_UPOS = {
    "NOUN": "NOUN",
    "ADJF": "ADJ",
    "ADJS": "ADJ",
    "COMP": "ADJ",
    "VERB": "VERB",
    "INFN": "VERB",
    "PRTF": "VERB",
    "PRTS": "VERB",
    "GRND": "VERB",
    "NUMR": "NUM",
    "ADVB": "ADV",
    "NPRO": "PRON",
    "PRED": "ADV",
    "PREP": "ADP",
    "CONJ": "CCONJ",
    "PRCL": "PART",
    "INTJ": "INTJ",
}
_NAME_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn")


@cache
def _pymorphy() -> object:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=100_000)
def pymorphy_lemma(word: str, upos: str) -> str:
    kept = _kept_as_written(word, upos)
    if kept is not None:
        return kept
    parses = _pymorphy().parse(word)  # type: ignore[attr-defined]
    wanted = _UPOS_TO_OPENCORPORA.get(upos, ())
    fitting = [p for p in parses if p.tag.POS in wanted]
    parse = min(fitting, key=lambda p: wanted.index(p.tag.POS)) if fitting else parses[0]
    if upos == "PROPN" and not parse.is_known:
        return word  # a name the dictionary does not know: its guesses mangle names
    if upos == "DET" and parse.tag.POS == "NPRO":
        return word.lower()  # possessive «его», «их»: UD keeps the form
    if upos == "VERB" and parse.tag.POS in _TO_INFINITIVE:
        infinitive = parse.inflect({"INFN"})
        if infinitive is not None:
            return infinitive.word
    return parse.normal_form


def _kept_as_written(word: str, upos: str) -> str | None:
    """UD conventions: no letters, prepositions («во», «об») and initials («А.») stay as written."""
    if not any(ch.isalpha() for ch in word):
        return word
    if upos == "ADP":
        return word.lower()
    if len(word) == 2 and word.endswith(".") and word[0].isupper():
        return word[0]
    return None


@lru_cache(maxsize=100_000)
def pymorphy_upos(word: str, upos: str) -> str:
    """Stanza's UPOS, unless the dictionary knows the word and none of its parses fits it."""
    wanted = _UPOS_TO_OPENCORPORA.get(upos)
    if wanted is None or upos == "PROPN" or not any(ch.isalpha() for ch in word):
        return upos  # names are often unknown or ambiguous: Stanza's context wins
    parses = _pymorphy().parse(word)  # type: ignore[attr-defined]
    if not parses[0].is_known or any(p.tag.POS in wanted for p in parses):
        return upos
    top = parses[0]
    if any(tag in top.tag for tag in _NAME_TAGS):
        return "PROPN"
    return _OPENCORPORA_TO_UPOS.get(top.tag.POS, upos)


ENGINES: dict[str, Lemmatizer] = {"pymorphy3": pymorphy_lemma}
POS_CHECKS: dict[str, PosCheck] = {"pymorphy3": pymorphy_upos}


def load_lemmatizer(engine: str) -> Lemmatizer:
    if engine not in ENGINES:
        raise ValueError(f"unknown lemmatizer engine {engine!r}; known: {', '.join(sorted(ENGINES))}")
    return ENGINES[engine]


def load_pos_check(name: str) -> PosCheck:
    if name not in POS_CHECKS:
        raise ValueError(f"unknown POS check {name!r}; known: {', '.join(sorted(POS_CHECKS))}")
    return POS_CHECKS[name]
