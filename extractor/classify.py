"""Indicator and status of a figure, from cue words near it in its sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from extractor.figures import Figure
from extractor.langdata import PATTERNS_DIR, LanguageData, available_languages, load_language
from extractor.schema import PatternFile
from extractor.terms import TermMatch
from extractor.tokens import Token

CLAUSE_PENALTY = 10  # a comma between a cue and a figure counts as this many words
INHERITED_DISTANCE = 30  # how far a cue of the sentence an anaphor refers to counts
ANAPHORA = "anaphora"  # the concept of words that refer back («этот показатель»)
STATUS_PRIORITY = {"target": 0, "plan": 1, "actual": 2}


@dataclass(frozen=True)
class IndicatorRule:
    name: str
    concepts: tuple[str, ...]
    units: frozenset[str]
    measure: str | None


@cache
def indicator_rules() -> tuple[IndicatorRule, ...]:
    f = PatternFile(PATTERNS_DIR / "indicators.yaml")
    entries = f.get("indicators")
    if not isinstance(entries, dict):
        raise f.error("indicators", "must map indicator names to {concepts, units}")
    known = {str(label) for code in available_languages() for label in load_language(code).concepts.labels()}
    rules = []
    for name in entries:
        key = ("indicators", str(name))
        concepts = tuple(f.strings((*key, "concepts"), []))
        missing = [c for c in concepts if c not in known]
        if missing:
            raise f.error((*key, "concepts"), f"no language defines {missing}")
        measure = f.get((*key, "measure"), None)
        if measure not in (None, "level", "change"):
            raise f.error((*key, "measure"), "must be level or change")
        units = frozenset(f.strings((*key, "units")))
        rules.append(IndicatorRule(str(name), concepts, units, measure))
    return tuple(rules)


@dataclass(frozen=True)
class Cues:
    """The cue words of one sentence."""

    tokens: Sequence[Token]
    text: str
    concepts: list[TermMatch]
    statuses: list[TermMatch]
    inherited: tuple[TermMatch, ...] = ()  # concept cues of the sentence referred back to

    @classmethod
    def of(cls, tokens: Sequence[Token], text: str, lang: LanguageData) -> Cues:
        return cls(tokens, text, lang.concepts.find_every(tokens, text), lang.status.find_all(tokens, text))

    @property
    def refers_back(self) -> bool:
        return any(c.label == ANAPHORA for c in self.concepts)

    def refer_back(self, previous: Cues) -> Cues:
        """These cues, plus the previous sentence's when this one has an anaphor."""
        if not self.refers_back:
            return self
        inherited = tuple(c for c in previous.concepts if c.label != ANAPHORA)
        return replace(self, inherited=inherited)

    def distance(self, figure: Figure, cue: TermMatch) -> int:
        if cue in self.inherited:
            return INHERITED_DISTANCE
        if cue.first > figure.last:
            low, high, words = figure.last, cue.first, cue.first - figure.last
        elif cue.last < figure.first:
            low, high, words = cue.last, figure.first, figure.first - cue.last
        else:
            return 0
        between = self.text[self.tokens[low].end : self.tokens[high].start]
        return words + CLAUSE_PENALTY * sum(between.count(ch) for ch in ",;")


def choose_indicator(figure: Figure, cues: Cues, code: str) -> tuple[str, tuple[str, ...]]:
    best: tuple[tuple[int, int], IndicatorRule, list[TermMatch]] | None = None
    for rule in indicator_rules():
        if figure.unit not in rule.units or (rule.measure and rule.measure != figure.measure):
            continue
        nearest = []
        for concept in rule.concepts:
            found = [c for c in (*cues.concepts, *cues.inherited) if c.label == concept]
            if not found:
                break
            nearest.append(min(found, key=lambda c: cues.distance(figure, c)))
        else:
            farthest = max((cues.distance(figure, c) for c in nearest), default=10**6)
            score = (len(rule.concepts), -farthest)
            if best is None or score > best[0]:
                best = (score, rule, nearest)
    if best is None:
        return "", ()
    _, rule, used = best
    fired = tuple(f"{code}.concepts.{c.label}:{c.term}" for c in used)
    return rule.name, (f"indicators.{rule.name}", *fired)


def choose_status(figure: Figure, cues: Cues, code: str) -> tuple[str, tuple[str, ...]]:
    """The nearest status cue; a tie goes to target, then plan. None means actual."""
    outside = [c for c in cues.statuses if c.last < figure.first or c.first > figure.last]
    if not outside:
        return "actual", ()
    cue = min(outside, key=lambda c: (cues.distance(figure, c), STATUS_PRIORITY[str(c.label)]))
    return str(cue.label), (f"{code}.status.{cue.label}:{cue.term}",)
