"""Around an amount: the words that make it no figure (an age, a rank, a condition, a
definition) and the qualifier it carries («около», «астам», «500-ден кем», «до»)."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.langdata import LanguageData
from extractor.numbers import Amount
from extractor.numbers.rules import nonfigure_rules, qualifier_rules
from extractor.terms import TermSet, ending_at
from extractor.tokens import Token

_GAP_CHARS = " \u00a0\u202f-‐"


def is_nonfigure(lang: LanguageData, amount: Amount, tokens: Sequence[Token], text: str) -> bool:
    """«30-летний», «18 жасқа толған», «4 и более детей», «беднейшие 20%», «жиырма екінші»."""
    rules = nonfigure_rules(lang.code)
    last = tokens[amount.last]
    if last.kind == "num" and last.suffix.startswith(rules.joined or ("\0",)):
        return True
    k = amount.last + 1
    gap = text[last.end : tokens[k].start] if k < len(tokens) else "."
    if not gap.strip(_GAP_CHARS) and rules.next_word.match_at(tokens, k, text) is not None:
        return True
    if _defines_norm(lang, rules.after_percent, amount, tokens, text):
        return True
    before = amount.first - 1
    if before >= 0 and not text[tokens[before].end : tokens[amount.first].start].strip(_GAP_CHARS):
        return ending_at(rules.previous_word, tokens, before, text) is not None
    return False


def _defines_norm(
    lang: LanguageData, terms: TermSet, amount: Amount, tokens: Sequence[Token], text: str
) -> bool:
    """«равна 70% от величины ПМ»: a percent of a norm defines another."""
    k = amount.last + 1
    if k >= len(tokens) or text[tokens[k - 1].end : tokens[k].start].strip():
        return False
    if tokens[k].kind != "pct":
        match = lang.units.match_at(tokens, k, text)
        if match is None or match.label != "percent":
            return False
        k = match.last
    return k + 1 < len(tokens) and terms.match_at(tokens, k + 1, text) is not None


def qualifier(
    lang: LanguageData, tokens: Sequence[Token], first: int, lasts: tuple[int, ...], text: str, ranged: bool
) -> tuple[str, tuple[str, ...]]:
    """(qualifier, fired) from the words before the figure or after its number or unit."""
    code, change = lang.code, lang.change
    markers = (change.by_before, change.to_before, change.from_before)
    match = ending_at(lang.qualifiers_before, tokens, first - 1, text)
    if match is None and any(ending_at(m, tokens, first - 1, text) for m in markers):
        # «почти на 3 тыс.», «более чем на 10%»
        match = ending_at(lang.qualifiers_before, tokens, first - 2, text)
    if match is not None:
        return str(match.label), (f"{code}.qualifiers.before.{match.label}:{match.term}",)
    rules = qualifier_rules(code)
    if (match := rules.opening.match_at(tokens, first, text)) is not None:  # «сотни семей»
        return str(match.label), (f"{code}.qualifiers.opening.{match.label}:{match.term}",)
    for last in sorted(set(lasts)):
        if last + 1 >= len(tokens):
            continue
        match = lang.qualifiers_after.match_at(tokens, last + 1, text)
        where = "after"
        if match is None and _comparative(tokens[last], rules.comparative_endings):
            match, where = rules.comparative.match_at(tokens, last + 1, text), "comparative"
        if match is not None and ranged and match.label == "up_to":
            return "", ()  # «5-тен 7 мыңға дейін»: «дейін» closes the range
        if match is not None:
            return str(match.label), (f"{code}.qualifiers.{where}.{match.label}:{match.term}",)
    return "", ()


def _comparative(token: Token, endings: tuple[str, ...]) -> bool:
    """The figure's last word is in the case of comparison («500-ден», «5%-дан», «адамнан»)."""
    if not endings:
        return False
    return (token.suffix if token.kind != "word" else token.norm).endswith(endings)

