"""The "next to review" queue: unreviewed records, the ones most likely wrong first.

Each sign of a likely error adds to a record's `suspicion`, and `reasons` says which, so an
editor sees why a record stands where it does. The weights rank; they are not probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import regex

NO_INDICATOR = 2.0
NO_REGION = 2.0
REGION_FROM_DOCUMENT = 1.5  # no mention the region came from
REGION_FAR = 1.5  # the title, a dateline, another paragraph: a fallback, not a mention
REGION_NEAR = 0.5  # named in a sentence nearby
NEAR_CHARS = 300
UNIT_FAR = 1.0  # and a half more for each word further
NO_YEAR = 0.5
UNLIKE_OTHERS = 2.0
FAR_WORDS = 3  # words between the number and the end of the figure's text before it is far
UNLIKE_DECADES = 1.5  # |log10(value / median of the others)|: about 30 times off
MIN_OTHERS = 3  # values of the same indicator, region, unit and measure to compare with
_DIGIT = regex.compile(r"\d")


def _words_after_number(value_text: str) -> int:
    """Words between the last word holding a digit and the unit word that ends the figure."""
    words = value_text.split()
    last = max((i for i, w in enumerate(words) if _DIGIT.search(w)), default=None)
    return 0 if last is None else max(0, len(words) - last - 2)


def _sentence_span(row: Mapping) -> tuple[int, int]:
    sentence, value_text = str(row.get("sentence") or ""), str(row.get("value_text") or "")
    at = sentence.find(value_text)
    start = int(row["char_start"]) - max(at, 0)
    return start, start + len(sentence)


def _region_reasons(row: Mapping) -> list[tuple[float, str]]:
    if not row.get("region_code"):
        return [(NO_REGION, "no region")]
    evidence = row.get("evidence")
    start, end = _sentence_span(row)
    if not isinstance(evidence, Sequence | np.ndarray):  # no offsets: the mention's words
        if not row.get("region_mention"):
            return [(REGION_FROM_DOCUMENT, "region from the document, not from a mention")]
        inside = str(row["region_mention"]) in str(row.get("sentence") or "")
        return [] if inside else [(REGION_NEAR, "region named outside the figure's sentence")]
    places = [int(e[1]) for e in evidence if e[0] in ("region", "district")]
    if not places:
        return [(REGION_FROM_DOCUMENT, "region from the document, not from a mention")]
    distance = min(0 if start <= at < end else abs(start - at) for at in places)
    if distance == 0:
        return []
    if distance <= NEAR_CHARS:
        return [(REGION_NEAR, "region named in a sentence nearby")]
    return [(REGION_FAR, "region from far off (title, dateline or another paragraph)")]


def _row_reasons(row: Mapping) -> list[tuple[float, str]]:
    found = _region_reasons(row)
    if not row.get("indicator"):
        found.append((NO_INDICATOR, "no indicator"))
    if row.get("year") is None or pd.isna(row["year"]):
        found.append((NO_YEAR, "no year"))
    gap = _words_after_number(str(row.get("value_text") or ""))
    if gap >= FAR_WORDS:
        found.append((UNIT_FAR + 0.5 * (gap - FAR_WORDS), f"unit {gap + 1} words from the number"))
    return found


def _unlike_others(records: pd.DataFrame) -> dict[int, tuple[float, str]]:
    """Records whose value is far from the median of the others of the same kind and place."""
    found: dict[int, tuple[float, str]] = {}
    keys = ["indicator", "region_code", "unit", "measure"]
    usable = records[(records["indicator"].fillna("") != "") & (records["value"].abs() > 0)]
    for (indicator, region, *_), group in usable.groupby(keys, sort=False):
        if len(group) <= MIN_OTHERS:
            continue
        logs = group["value"].abs().map(math.log10)
        for index, log in logs.items():
            others = logs.drop(index)
            off = log - float(others.median())
            if abs(off) >= UNLIKE_DECADES:
                median = 10 ** float(others.median())
                where = region or "no region"
                text = f"value unlike the others for {indicator} in {where} (median {median:.3g})"
                # a thousand times off weighs more than thirty times
                found[int(index)] = (UNLIKE_OTHERS + 0.5 * min(2, int(abs(off)) - 1), text)
    return found


def review_queue(records: pd.DataFrame, decisions: Mapping[str, object]) -> pd.DataFrame:
    """Unreviewed records with `suspicion` and `reasons`, the most likely wrong first.

    records: the dataset (SPEC's columns; an `evidence` column, where present, is used);
    decisions: anything keyed by record_id, such as `decisions.latest(store)`.
    """
    frame = records.reset_index(drop=True)
    unlike = _unlike_others(frame)  # compared with every record, reviewed or not
    scores, reasons = [], []
    for index, row in enumerate(frame.to_dict("records")):
        found = _row_reasons(row) + ([unlike[index]] if index in unlike else [])
        scores.append(round(sum(weight for weight, _ in found), 2))
        reasons.append("; ".join(text for _, text in found))
    frame = frame.assign(suspicion=scores, reasons=reasons)
    frame = frame[~frame["record_id"].isin(list(decisions))]
    order = ["suspicion", "doc_id", "char_start"]
    ordered = frame.sort_values(order, ascending=[False, True, True], kind="stable")
    return ordered.reset_index(drop=True)
