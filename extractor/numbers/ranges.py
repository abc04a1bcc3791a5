"""Two amounts read as one: a range («5–7 млн», «от 5 до 7 тысяч», «5-тен 7 мыңға дейін»)
or a sum with its currency's subunit («5 теңге 50 тиын»)."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.numbers.amounts import Amount
from extractor.numbers.rules import NumberRules
from extractor.qualify import ending_at
from extractor.terms import TermMatch
from extractor.tokens import Token

CHANGE_WINDOW = 6  # tokens around a Kazakh «X-тен Y-ге дейін» where a change verb makes it a change


def join_subunits(
    amounts: list[Amount], tokens: Sequence[Token], text: str, rules: NumberRules, code: str
) -> list[Amount]:
    """«5 теңге 50 тиын» = 5.5: the subunit amount joins the one before and is no figure."""
    out: list[Amount] = []
    for amount in amounts:
        share = _subunit_share(out[-1], amount, tokens, text, rules) if out else None
        if share is None:
            out.append(amount)
            continue
        whole = out[-1]
        thousands = None if whole.thousands_value is None else whole.thousands_value + share
        out[-1] = whole._replace(
            value=whole.value + share,
            thousands_value=thousands,
            fired=(*whole.fired, f"{code}.numbers.subunits"),
        )
    return out


def _subunit_share(
    whole: Amount, part: Amount, tokens: Sequence[Token], text: str, rules: NumberRules
) -> float | None:
    between = range(whole.last + 1, part.first)
    if not 1 <= len(between) <= 2 or any(tokens[k].kind != "word" for k in between):
        return None
    if any(ch in ",;:.()" for ch in text[tokens[whole.last].end : tokens[part.first].start]):
        return None
    if part.has_scale or part.ending or part.value >= 100 or part.last + 1 >= len(tokens):
        return None
    if text[tokens[part.last].end : tokens[part.last + 1].start].strip():
        return None
    match = rules.subunits.match_at(tokens, part.last + 1, text)
    return None if match is None else part.value * float(match.label)


def join_ranges(
    amounts: list[Amount], tokens: Sequence[Token], text: str, rules: NumberRules, code: str
) -> list[Amount]:
    out: list[Amount] = []
    n = 0
    while n < len(amounts):
        pair = amounts[n : n + 2]
        joined = _range(pair[0], pair[1], tokens, text, rules, code) if len(pair) == 2 else None
        out.append(joined or amounts[n])
        n += 2 if joined else 1
    return out


def _range(
    low: Amount, high: Amount, tokens: Sequence[Token], text: str, rules: NumberRules, code: str
) -> Amount | None:
    if low.partitive or low.thousands_value is not None or high.thousands_value is not None:
        return None
    form = (
        _dash(low, high, tokens, text, rules)
        or _prepositions(low, high, tokens, text, rules)
        or _between(low, high, tokens, text, rules)
        or _endings(low, high, tokens, text, rules)
    )
    if form is None:
        return None
    first, last, ending, name = form
    value = low.value
    if not low.has_scale and high.has_scale and value * high.scale <= high.value:
        value *= high.scale  # «5–7 млн», «от 5 до 7 тысяч»: the scale word is shared
    if not value < high.value:
        return None
    return Amount(
        first,
        last,
        value,
        None,
        high.has_scale,
        low.words_only and high.words_only,
        high.partitive,
        (*low.fired, f"{code}.numbers.range:{name}", *high.fired),
        ending,
        high.value,
        high.scale,
    )


def _gap(tokens: Sequence[Token], a: int, b: int, text: str) -> str:
    return text[tokens[a].end : tokens[b].start]


def _dash(
    low: Amount, high: Amount, tokens: Sequence[Token], text: str, rules: NumberRules
) -> tuple[int, int, str, str] | None:
    """«10–15%», «алпыс мың – жетпіс мың»."""
    if low.ending or high.first != low.last + 1:
        return None
    gap = _gap(tokens, low.last, high.first, text).strip(" \u00a0\u202f")
    return (low.first, high.last, high.ending, "dash") if gap and gap in rules.dashes else None


def _prepositions(
    low: Amount, high: Amount, tokens: Sequence[Token], text: str, rules: NumberRules
) -> tuple[int, int, str, str] | None:
    """«от 5 до 7 тысяч»: the opening word is part of the span."""
    opening = ending_at(rules.open_before, tokens, low.first - 1, text)
    if opening is None or low.last + 1 >= high.first:
        return None
    closing = rules.close_before.match_at(tokens, low.last + 1, text)
    if closing is None or closing.last != high.first - 1:
        return None
    return opening.first, high.last, high.ending, opening.term


def _between(
    low: Amount, high: Amount, tokens: Sequence[Token], text: str, rules: NumberRules
) -> tuple[int, int, str, str] | None:
    """«3 пен 5 доллар шамасында»: a word of «and» alone between the two."""
    if low.ending or high.first != low.last + 2:
        return None
    match = rules.between.match_at(tokens, low.last + 1, text)
    return (low.first, high.last, high.ending, match.term) if match and match.last == low.last + 1 else None


def _endings(
    low: Amount, high: Amount, tokens: Sequence[Token], text: str, rules: NumberRules
) -> tuple[int, int, str, str] | None:
    """«5-тен 7 мыңға дейін», «10-нан 15 пайызға дейін»; near a change verb it is a change."""
    if low.ending not in rules.low_endings or high.first != low.last + 1:
        return None
    if _gap(tokens, low.last, high.first, text).strip():
        return None
    k = high.last + 1
    close = _closes(tokens, k, text, rules) if high.ending in rules.high_endings else None
    if close is not None:
        last, ending = close.last, ""
    elif (
        not high.ending
        and k < len(tokens)
        and tokens[k].norm.endswith(tuple(rules.high_endings) or ("\0",))
        and _closes(tokens, k + 1, text, rules) is not None
    ):
        last, ending = high.last, high.ending  # the unit stands between: «15 пайызға дейін»
    else:
        return None
    start, end = max(0, low.first - CHANGE_WINDOW), min(len(tokens), k + 2 + CHANGE_WINDOW)
    if any(rules.change_verbs.match_at(tokens, i, text) for i in range(start, end)):
        return None
    return low.first, last, ending, "endings"


def _closes(tokens: Sequence[Token], k: int, text: str, rules: NumberRules) -> TermMatch | None:
    """«дейін» right after the high end (or its unit)."""
    if k >= len(tokens) or _gap(tokens, k - 1, k, text).strip():
        return None
    return rules.close_after.match_at(tokens, k, text)
