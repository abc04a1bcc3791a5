"""Indicator and status of a figure, from cue words near it in its sentence, else from the
topic the sentences before it set (SPEC: the topic carries across sentences)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import regex

from extractor.figures import Figure
from extractor.langdata import PATTERNS_DIR, TENSE_PLAN, LanguageData, available_languages, load_language
from extractor.schema import PatternFile
from extractor.terms import TermMatch
from extractor.tokens import Token, new_tuple

CLAUSE_PENALTY = 10  # a comma between a cue and a figure counts as this many words
INHERITED_DISTANCE = 30  # how far a cue of the sentence an anaphor refers to counts
ANAPHORA = "anaphora"  # the concept of words that refer back («этот показатель»)
STATUS_PRIORITY = {"target": 0, "plan": 1, TENSE_PLAN: 1, "actual": 2}


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


@cache
def _rules_for_unit(unit: str) -> tuple[IndicatorRule, ...]:
    """The rules that may name a figure of this unit, in their order (asked for every figure)."""
    return tuple(rule for rule in indicator_rules() if unit in rule.units)


@cache
def modifier_concepts() -> frozenset[str]:
    """Concepts that only qualify another («населения» in a share): they never change the topic."""
    rules = indicator_rules()
    alone = {c for rule in rules if len(rule.concepts) == 1 for c in rule.concepts}
    return frozenset(c for rule in rules for c in rule.concepts if c not in alone)


class Cues(NamedTuple):
    """The cue words of one sentence. A named tuple, not a frozen dataclass: two are made per
    sentence, and tuples are made several times faster."""

    tokens: Sequence[Token]
    text: str
    concepts: list[TermMatch]
    statuses: list[TermMatch]
    inherited: tuple[TermMatch, ...] = ()  # concept cues of the sentence referred back to
    refers_back: bool = False  # a cue refers back («этот показатель»): see of()
    has_subject: bool = False  # a cue names what the sentence is about: not an anaphor, not a modifier

    @staticmethod
    def of(tokens: Sequence[Token], text: str, lang: LanguageData) -> Cues:
        concepts = lang.concepts.find_every(tokens, text)
        statuses = lang.status.find_all(tokens, text)
        modifiers = modifier_concepts()
        refers_back = any(c.label == ANAPHORA for c in concepts)
        has_subject = any(c.label != ANAPHORA and c.label not in modifiers for c in concepts)
        return new_tuple(Cues, (tokens, text, concepts, statuses, (), refers_back, has_subject))

    @property
    def topic(self) -> tuple[TermMatch, ...]:
        """The cues this sentence hands on to the next ones."""
        return tuple(c for c in self.concepts if c.label != ANAPHORA)

    def with_topic(self, topic: tuple[TermMatch, ...]) -> Cues:
        """These cues, plus a topic set before; a sentence naming its own subject keeps only
        its own, unless it refers back («бұл мақсатқа», «на эти цели»)."""
        if self.has_subject and not self.refers_back:
            return self
        # per sentence: not _replace()
        own = (self.tokens, self.text, self.concepts, self.statuses)
        return new_tuple(Cues, (*own, topic, self.refers_back, self.has_subject))

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


_LIST_ITEM = regex.compile(r"^\s*(?:[-–—•*·●▪]|\d{1,2}[.)]\s)")


class TopicFlow:
    """The topic in force at each sentence, in text order. A sentence naming its own subject
    sets it; it flows on through the paragraph, and from a list header («…:») into each of
    its items; a new paragraph starts without one. A sentence that refers back («из них»,
    «бұл мақсатқа») or a partitive figure reaches the last topic across paragraphs."""

    def __init__(self) -> None:
        self.topic: tuple[TermMatch, ...] = ()
        self.last: tuple[TermMatch, ...] = ()  # the latest topic, whatever the paragraph
        self.header: tuple[TermMatch, ...] | None = None  # the list header's, inside a list
        self.paragraph = -1
        self.previous_text = ""

    def enter(self, paragraph: int, text: str) -> None:
        """Called with each sentence's paragraph index and that paragraph's text."""
        if paragraph == self.paragraph:
            return
        before = self.previous_text.rstrip()
        if before.endswith(":"):
            self.header = self.topic
        elif self.header is not None and not (_LIST_ITEM.match(text) or before.endswith((";", ","))):
            self.header = None
        self.topic = self.header if self.header is not None else ()
        self.paragraph, self.previous_text = paragraph, text

    def cues(self, cues: Cues) -> Cues:
        """The sentence's cues with the topic they inherit; then the topic moves on."""
        carried = self.last if cues.refers_back and not self.topic else self.topic
        if cues.has_subject:
            self.topic = self.last = cues.topic
        return cues.with_topic(carried)

    def back(self, cues: Cues) -> Cues:
        """For a partitive figure («олардың 870-і»): the cues with the last topic at least."""
        return cues if cues.inherited or cues.has_subject else cues.with_topic(self.last)


def choose_indicator(figure: Figure, cues: Cues, code: str) -> tuple[str, tuple[str, ...]]:
    """From the sentence's own cues; only where they give none, from the topic carried in."""
    found = _best_rule(figure, cues, cues.concepts)
    if found is None and cues.inherited:
        found = _best_rule(figure, cues, (*cues.concepts, *cues.inherited))
    if found is None:
        return "", ()
    rule, used = found
    fired = tuple(f"{code}.concepts.{c.label}:{c.term}" for c in used)
    return rule.name, (f"indicators.{rule.name}", *fired)


def _best_rule(
    figure: Figure, cues: Cues, pool: Sequence[TermMatch]
) -> tuple[IndicatorRule, list[TermMatch]] | None:
    best: tuple[tuple[int, int], IndicatorRule, list[TermMatch]] | None = None
    by_concept: dict[object, list[TermMatch]] = {}
    for cue in pool:
        by_concept.setdefault(cue.label, []).append(cue)
    for rule in _rules_for_unit(figure.unit):
        if rule.measure and rule.measure != figure.measure:
            continue
        nearest = []
        for concept in rule.concepts:
            found = by_concept.get(concept)
            if not found:
                break
            nearest.append(min(found, key=lambda c: cues.distance(figure, c)))
        else:
            farthest = max((cues.distance(figure, c) for c in nearest), default=0)
            # more concepts win (a share of recipients over recipients) within the figure's clause
            score = (len(rule.concepts) if farthest < CLAUSE_PENALTY else 0, -farthest)
            if best is None or score > best[0]:
                best = (score, rule, nearest)
    return None if best is None else (best[1], best[2])


def choose_status(figure: Figure, cues: Cues, code: str) -> tuple[str, tuple[str, ...]]:
    """The nearest status cue; a tie goes to target, then plan. None means actual."""
    outside = [c for c in cues.statuses if c.last < figure.first or c.first > figure.last]
    if not outside:
        return "actual", ()
    cue = min(outside, key=lambda c: (cues.distance(figure, c), STATUS_PRIORITY[str(c.label)]))
    return str(cue.label), (f"{code}.status.{cue.label}:{cue.term}",)
