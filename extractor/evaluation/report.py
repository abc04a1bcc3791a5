"""Printing a span-mode result: the table, error lists grouped into classes, a 3-line summary."""

from __future__ import annotations

from collections import Counter, defaultdict

from extractor.evaluation.numerals import DENOMINATORS, ENDING, HALF, POINT, TOKEN, is_numeral
from extractor.evaluation.spans import CATEGORIES, LEVELS, Error, SpanResult

KEPT = {POINT, HALF, *DENOMINATORS}
KINDS = ("miss", "extra", "wrong value", "core differs")
SHORT = {"money_kzt": "tenge", "money_other": "other cur.", "percent": "percent", "counted": "counted"}
EXPLAIN = (
    "exact: same span as gold (a counted CARDINAL may include its noun); overlap: a shared "
    "character;\n"
    "core: the number part (first to last digits/number word/scale word) at the same offsets;\n"
    "value: |derek value| = the gold span read by the numeral reader, among overlap matches"
)
GLUE = (
    "text rebuilt from tokens; number-internal punctuation glued: «5 , 3» → «5,3» (also . : /), "
    "«40 %» → «40%»"
)


def shape(text: str) -> str:
    """An error class: the span with each run of numerals as «#» («5 млрд теңгеге» → «# теңгеге»),
    keeping the words that shape a number («# бүтін оннан # теңге», «# жарым»)."""
    words: list[str] = []
    for match in TOKEN.finditer(text):
        word = match.group().lower()
        word = word if word in KEPT or not is_numeral(word) else "#"
        if not (word == "#" and words[-1:] == ["#"]):
            words.append(word)
    return " ".join(words)


def noun_stem(word: str) -> str:
    """The word without a case or possessive ending («адамға» → «адам»), to group misses."""
    return next((word[:k] for k in range(3, len(word)) if ENDING.fullmatch(word[k:])), word)


def error_class(error: Error) -> str:
    if error.kind == "extra":
        return f"{shape(error.item.text)} [{error.item.unit}]"
    if error.kind == "miss" and error.category == "counted":
        noun = error.item.doc.text[error.item.end : error.item.noun_end].strip().lower()
        return f"{shape(error.item.text)} + {noun_stem(noun)}…"
    return shape(error.item.text)


def describe(error: Error) -> str:
    item, other = error.item, error.other
    gold = f"{item.value:g}" if item.value is not None else "?"
    if error.kind == "extra":
        said = f"derek «{item.text}» {item.value:g} {item.unit}"
    elif other is None:
        said = f"gold «{item.text}» = {gold}"
    else:
        said = f"gold «{item.text}» = {gold}; derek «{other.text}» {other.value:g} {other.unit}"
    return f"{item.doc.doc_id}: {said}\n      | {item.doc.text.strip()}"


def _table(result: SpanResult) -> list[str]:
    head = f"{'category':<12}{'gold':>6}{'pred':>6} | " + " | ".join(f"{lv + ' P R F1':<14}" for lv in LEVELS)
    lines = [head + " | value exact"]
    for name in CATEGORIES:
        s = result.scores[name]
        cells = " | ".join(" ".join(f"{x:.2f}" for x in s.prf(level)) for level in LEVELS)
        value = f"{s.value_share:.3f} ({s.value_right}/{s.value_of})"
        lines.append(f"{name:<12}{s.gold:>6}{s.predicted:>6} | {cells} | {value}")
    return lines


def grouped(errors: list[Error]) -> dict[tuple[str, str], list[Error]]:
    groups: dict[tuple[str, str], list[Error]] = defaultdict(list)
    for error in errors:
        groups[(error.category, error.kind)].append(error)
    return {key: groups[key] for key in ((c, k) for c in CATEGORIES for k in KINDS) if key in groups}


def listing(errors: list[Error], limit: int | None, classes: int = 8) -> list[str]:
    """Errors by category and kind: the biggest classes first, then up to `limit` examples each."""
    lines = []
    for (category, kind), group in grouped(errors).items():
        counts = Counter(error_class(e) for e in group)
        lines.append(f"== {category} / {kind}: {len(group)}")
        lines += [f"   {n:>4}  {name}" for name, n in counts.most_common(classes)]
        rank = {name: i for i, (name, _) in enumerate(counts.most_common())}
        ordered = sorted(group, key=lambda e: rank[error_class(e)])
        lines += [f"  - [{error_class(e)}] {describe(e)}" for e in ordered[:limit]]
    return lines


def span_report(result: SpanResult, show: int = 0) -> str:
    kinds = Counter(e.kind for e in result.errors)
    lines = [
        f"span mode: {result.source}: {result.docs} texts, {result.with_numbers} with a number, "
        f"derek ran in {result.seconds:.1f} s",
        GLUE,
        EXPLAIN,
        *_table(result),
        f"neutral (not scored): {result.neutral} counted records on a gold QUANTITY or uncounted CARDINAL",
        "errors: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS) + ("" if show else "  (list: --show N)"),
    ]
    failed = f"; derek FAILED on {len(result.failures)} texts" if result.failures else ""
    if failed:
        lines.append(f"{failed[2:]} (scored as finding nothing), first: {result.failures[0]}")
    if show:
        lines += listing(result.errors, show)
    lines.append(f"summary (F1 exact/overlap/core, value exact share, gold n){failed}:")
    cells = []
    for name in CATEGORIES:
        s = result.scores[name]
        f1 = "/".join(f"{s.prf(level)[2]:.2f}" for level in LEVELS)
        cells.append(f"{SHORT[name]} {f1} v{s.value_share:.2f} n{s.gold}")
    lines += ["  " + "  |  ".join(cells[:2]), "  " + "  |  ".join(cells[2:])]
    return "\n".join(lines)


def errors_file(result: SpanResult) -> str:
    """The full error list, for pattern authors to study classes of errors."""
    head = [f"derek span-mode errors on {result.source}", GLUE, EXPLAIN, *_table(result), ""]
    return "\n".join(head + listing(result.errors, None, classes=30)) + "\n"
