"""Span mode of `derek eval`: derek's figures against the entity spans of an annotated corpus.

Categories (gold entity → derek records it is compared with):
- `money_kzt`: MONEY whose text names tenge (теңге, тенге, тг, ₸, KZT, тиын, Latin tenge/teńge/
  tiyn/tıyn) → records with unit KZT; the gold value of a tiyn-only span is in hundredths.
- `money_other`: the other MONEY → records whose unit is another currency code (3 capitals).
- `percent`: PERCENTAGE → records with unit percent.
- `counted`: CARDINAL followed by a counted noun → records with any other unit but `times`.
  The rule does not use derek's unit lexicon (that would be circular): the CARDINAL's last token
  is a numeral in its modifier form (digits, or a number word bare or with «-дай», «-даған»)
  or a qualifier that still precedes the noun («астам», «аса», «жуық», «шақты», «тарта»,
  «қаралы», «дейін»), since a Kazakh numeral that modifies a noun is not inflected («8000 адамға»,
  «100-ден астам трактор», but «тоғызға жетті»); and the next token is a lower-case word, no
  numeral, outside every gold entity except NORP and POSITION (kinds of people), and not a
  function word, copula, frequent predicate, or time/repetition word (жыл, ай, күн, рет, есе…).
  A counted record on a gold QUANTITY or on a CARDINAL this rule leaves out is neutral: neither
  matched nor an extra (it is counted as "neutral").

Matches are one-to-one, gold in text order taking the first free record that fits:
- exact: derek's span equals the gold span (for `counted`, also the gold span with its noun);
- overlap: they share a character;
- core: the number parts are at the same offsets: from the first to the last numeral token of
  each span (digits without their «-ден»/«%» ending, number words, scale words, «бүтін»,
  «жарым»), so qualifiers, units and case endings around the number do not count.
value: among overlap matches, the share where |derek value| equals the gold span's value read
by extractor.evaluation.numerals (|…|: derek signs a decrease).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from extractor.evaluation.corpora import Doc, Entity
from extractor.evaluation.numerals import ENDING, TOKEN, is_numeral, numeral_core, read_numeral, word_stem
from extractor.record import Record

CATEGORIES = ("money_kzt", "money_other", "percent", "counted")
LEVELS = ("exact", "overlap", "core")
TENGE = re.compile(r"теңге|тенге|\bтг\b|₸|kzt|тиын|tenge|teńge|tiyn|tıyn", re.I)
TIYN_ONLY = re.compile(r"^(?!.*(?:теңге|тенге|₸|kzt|tenge|teńge)).*(?:тиын|tiyn|tıyn)", re.I | re.S)
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
PEOPLE_LABELS = {"NORP", "POSITION"}
QUALIFIERS = {"астам", "аса", "жуық", "шақты", "тарта", "қаралы", "дейін"}
MODIFIER_ENDINGS = {"", "дай", "дей", "тай", "тей", "даған", "деген", "таған", "теген"}
NOT_NOUNS = {
    "мен", "бен", "пен", "және", "не", "немесе", "да", "де", "та", "те", "ғана", "қана", "тек", "ал",
    "ақ", "ие", "еді", "екен", "емес", "деп", "деген", "дейін", "бастап", "кейін", "бұрын", "соң",
    "арқылы", "үшін", "туралы", "бойы", "бойынша", "қатар", "шейін", "сияқты", "секілді", "жуық",
    "астам", "аса", "артық", "кем", "көп", "аз", "ғой", "ба", "бе", "па", "пе", "ма", "ме", "бірдей",
    "болды", "болып", "болса", "болған", "болады", "болатын", "болмақ", "құрады", "құрайды",
    "жетті", "жетеді", "жетіп", "асты", "асады", "асып", "артты", "артып", "өсті", "өсіп",
    "азайды", "азайып", "ұлғайды", "кеміді", "төмендеді", "тең", "екені", "ішінде",
}  # fmt: skip
TIME_STEMS = ("жыл", "ай", "күн", "апта", "сағат", "минут", "секунд", "ғасыр", "жас", "рет",
              "мәрте", "есе", "дүркін")  # fmt: skip


@dataclass(frozen=True)
class Item:
    """One gold entity or one derek record, placed in a category."""

    doc: Doc
    start: int
    end: int
    category: str
    value: float | None
    core: tuple[int, int] | None
    noun_end: int = -1  # gold counted CARDINAL: the end of its counted noun
    unit: str = ""  # derek records only

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]


def make_item(doc: Doc, start: int, end: int, category: str, value: float | None, **more: object) -> Item:
    core = numeral_core(doc.text[start:end])
    where = (start + core[0], start + core[1]) if core else None
    return Item(doc, start, end, category, value, where, **more)  # type: ignore[arg-type]


def _word(doc: Doc, start: int, end: int) -> re.Match[str] | None:
    return next(TOKEN.finditer(doc.text, start, end), None)


def counted_noun_end(doc: Doc, entity: Entity) -> int | None:
    """The end of the counted noun after a CARDINAL, or None (the rule in the docstring)."""
    word = doc.text[entity.start : entity.end].split()[-1].lower()  # «300-дей», «мыңнан», «астам»
    if word[0].isdigit():
        if re.sub(r"^[\d.,:/]+-?", "", word) not in MODIFIER_ENDINGS:
            return None
    elif word not in QUALIFIERS:
        stem = word_stem(word)
        if stem is None or word[len(stem) :] not in MODIFIER_ENDINGS:
            return None
    nxt = _word(doc, entity.end, min(len(doc.text), entity.end + 60))
    if nxt is None or doc.text[entity.end : nxt.start()].strip():
        return None  # punctuation or nothing follows
    noun = nxt.group()
    if not noun[0].isalpha() or not noun[0].islower() or is_numeral(noun) or noun in NOT_NOUNS:
        return None
    if any(noun.startswith(s) and ENDING.fullmatch(noun[len(s) :]) for s in TIME_STEMS):
        return None
    inside = [e for e in doc.entities if e.start <= nxt.start() < e.end]
    return None if any(e.label not in PEOPLE_LABELS for e in inside) else nxt.end()


def gold_items(doc: Doc) -> tuple[list[Item], list[Entity]]:
    """The scored gold entities, and the numeric ones a counted record may neutrally hit."""
    items, neutral = [], []
    for entity in doc.entities:
        text = doc.text[entity.start : entity.end]
        value = read_numeral(text)
        if entity.label == "MONEY" and TENGE.search(text):
            scale = 0.01 if TIYN_ONLY.search(text) and value is not None else 1
            items.append(make_item(doc, entity.start, entity.end, "money_kzt", value and value * scale))
        elif entity.label == "MONEY":
            items.append(make_item(doc, entity.start, entity.end, "money_other", value))
        elif entity.label == "PERCENTAGE":
            items.append(make_item(doc, entity.start, entity.end, "percent", value))
        elif entity.label == "CARDINAL" and (end := counted_noun_end(doc, entity)) is not None:
            items.append(make_item(doc, entity.start, entity.end, "counted", value, noun_end=end))
        elif entity.label in ("CARDINAL", "QUANTITY"):
            neutral.append(entity)
    return items, neutral


def record_category(unit: str) -> str | None:
    if unit == "KZT":
        return "money_kzt"
    if CURRENCY_CODE.match(unit):
        return "money_other"
    return {"percent": "percent", "times": None}.get(unit, "counted")


def fits(level: str, gold: Item, pred: Item) -> bool:
    if level == "exact":
        return pred.start == gold.start and pred.end in (gold.end, gold.noun_end)
    if level == "overlap":
        return pred.start < max(gold.end, gold.noun_end) and gold.start < pred.end
    return gold.core is not None and gold.core == pred.core


def pair(level: str, golds: list[Item], preds: list[Item]) -> list[tuple[Item, Item]]:
    free = list(preds)
    pairs = []
    for gold in golds:
        pred = next((p for p in free if fits(level, gold, p)), None)
        if pred is not None:
            free.remove(pred)
            pairs.append((gold, pred))
    return pairs


@dataclass(frozen=True)
class Error:
    category: str
    kind: str  # miss | extra | core differs | wrong value
    item: Item  # the gold item (the record for an extra)
    other: Item | None = None  # the record a gold item was matched with


@dataclass
class CategoryScore:
    gold: int = 0
    predicted: int = 0
    matched: Counter[str] = field(default_factory=Counter)
    value_right: int = 0
    value_of: int = 0

    def prf(self, level: str) -> tuple[float, float, float]:
        m = self.matched[level]
        p = m / self.predicted if self.predicted else 0.0
        r = m / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def value_share(self) -> float:
        return self.value_right / self.value_of if self.value_of else 0.0


@dataclass
class SpanResult:
    source: str
    docs: int
    with_numbers: int
    seconds: float
    scores: dict[str, CategoryScore] = field(default_factory=lambda: {c: CategoryScore() for c in CATEGORIES})
    errors: list[Error] = field(default_factory=list)
    neutral: int = 0
    failures: list[str] = field(default_factory=list)  # texts derek raised on


def same_value(gold: float | None, pred: float) -> bool:
    return gold is not None and math.isclose(abs(pred), gold, rel_tol=1e-6, abs_tol=1e-9)


def score_doc(doc: Doc, records: list[Record], result: SpanResult) -> None:
    """Add one document's gold entities and derek records to the result."""
    golds, neutral_entities = gold_items(doc)
    preds = []
    for rec in records:
        category = record_category(rec.unit)
        if category is None:
            continue
        if category == "counted" and any(
            rec.char_start < e.end and e.start < rec.char_end for e in neutral_entities
        ):
            result.neutral += 1
            continue
        preds.append(make_item(doc, rec.char_start, rec.char_end, category, rec.value, unit=rec.unit))
    for category in CATEGORIES:
        g = [i for i in golds if i.category == category]
        p = [i for i in preds if i.category == category]
        _score_category(category, g, p, result)


def _score_category(category: str, golds: list[Item], preds: list[Item], result: SpanResult) -> None:
    score = result.scores[category]
    score.gold += len(golds)
    score.predicted += len(preds)
    for level in ("exact", "core"):
        score.matched[level] += len(pair(level, golds, preds))
    overlap = pair("overlap", golds, preds)
    score.matched["overlap"] += len(overlap)
    matched_gold = {id(g) for g, _ in overlap}
    matched_pred = {id(p) for _, p in overlap}
    errors = result.errors
    errors += [Error(category, "miss", g) for g in golds if id(g) not in matched_gold]
    errors += [Error(category, "extra", p) for p in preds if id(p) not in matched_pred]
    for gold, pred in overlap:
        if gold.value is not None:
            score.value_of += 1
            right = same_value(gold.value, pred.value or 0.0)
            score.value_right += right
            if not right:
                errors.append(Error(category, "wrong value", gold, pred))
        if gold.core != pred.core:
            errors.append(Error(category, "core differs", gold, pred))


def has_number(doc: Doc) -> bool:
    return any(is_numeral(m.group()) for m in TOKEN.finditer(doc.text))


def evaluate_spans(docs: list[Doc], source: str, lang: str, tagger: object) -> SpanResult:
    """Run derek on every document that has a number, and score it."""
    from extractor.api import extract_text

    started = time.perf_counter()
    numbered = [d for d in docs if has_number(d)]
    result = SpanResult(source, len(docs), len(numbered), 0.0)
    for doc in numbered:
        try:
            records = extract_text(doc.text, lang=lang, doc_id=doc.doc_id, tagger=tagger)  # type: ignore[arg-type]
        except Exception as exc:  # one failing text must not stop the run: counted and reported
            result.failures.append(f"{doc.doc_id}: {type(exc).__name__}: {exc}")
            records = []
        score_doc(doc, records, result)
    result.seconds = time.perf_counter() - started
    return result
