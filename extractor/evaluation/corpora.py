"""Annotated corpora for the span mode: IOB2 (CoNLL, as KazNERD) and brat standoff.

IOB2 gives tokens, not text, so each sentence's text is rebuilt with exact offsets: tokens
joined by one space, none before closing punctuation («,», «.», «)», «»») or after opening
punctuation («(», «»»). KazNERD splits number-internal punctuation into tokens («5 , 3»), so a
«,», «.», «:» or «/» between two digit tokens is glued back («5,3», «18:00», «55/12»), and a
«%» token («%», «%-ке») is glued to the number before it («40%-ке»), as the press writes them.
A «,» or «.» is glued only before at most 3 digits and once per number: «5000 , 6000» and
«2006 , 2007» are lists and keep their space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

NUMBER_INTERNAL = {",", ".", ":", "/"}
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "»", "”", "…"}
NO_SPACE_AFTER = {"(", "«", "“"}


@dataclass(frozen=True)
class Entity:
    label: str
    start: int
    end: int


@dataclass
class Doc:
    doc_id: str
    text: str
    entities: list[Entity] = field(default_factory=list)


def _glued(tokens: list[str], i: int) -> bool:
    """Whether token i joins the one before it with no space: number-internal punctuation."""
    tok, prev = tokens[i], tokens[i - 1]
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tok in NUMBER_INTERNAL:
        if not (prev[-1:].isdigit() and after[:1].isdigit()):
            return False
        if tok in ",.":  # a decimal part: at most 3 digits, one per number («5000 , 6000» is a list)
            chained = i >= 2 and tokens[i - 2] in NUMBER_INTERNAL and _glued(tokens, i - 2)
            return len(re.match(r"\d*", after).group()) <= 3 and not chained
        return True
    if tok.startswith("%"):
        return prev[-1:].isdigit()
    return prev in NUMBER_INTERNAL and i >= 2 and _glued(tokens, i - 1) and tok[:1].isdigit()


def rebuild(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence text and each token's (start, end) in it."""
    text, offsets = "", []
    for i, tok in enumerate(tokens):
        tight = i == 0 or _glued(tokens, i) or tok in NO_SPACE_BEFORE or tokens[i - 1] in NO_SPACE_AFTER
        text += "" if tight else " "
        offsets.append((len(text), len(text) + len(tok)))
        text += tok
    return text, offsets


def _entities(tags: list[str], offsets: list[tuple[int, int]]) -> list[Entity]:
    """IOB2 chunks; an I- tag with no B- before it starts a chunk (lenient)."""
    found: list[Entity] = []
    label, start, end = "", 0, 0
    for tag, (tok_start, tok_end) in zip(tags, offsets, strict=True):
        kind, _, name = tag.partition("-")
        if kind == "I" and name == label:
            end = tok_end
            continue
        if label:
            found.append(Entity(label, start, end))
        label, start, end = (name, tok_start, tok_end) if kind in ("B", "I") else ("", 0, 0)
    if label:
        found.append(Entity(label, start, end))
    return found


def read_iob2(path: str | Path) -> list[Doc]:
    """One Doc per sentence of a CoNLL file: `token TAG` lines, a blank line between sentences."""
    docs: list[Doc] = []
    tokens: list[str] = []
    tags: list[str] = []

    def close() -> None:
        if tokens:
            text, offsets = rebuild(tokens)
            docs.append(Doc(f"s{len(docs) + 1}", text, _entities(tags, offsets)))
            tokens.clear()
            tags.clear()

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            close()
            continue
        tokens.append(parts[0])
        tags.append(parts[-1] if len(parts) > 1 else "O")
    close()
    return docs


_BRAT = re.compile(r"^T\d+\t(\S+) (\d+(?: \d+)*(?:;\d+ \d+)*)\t", re.M)


def read_brat(path: str | Path) -> list[Doc]:
    """.txt + .ann pairs from a folder (or the pair of one file); text-bound `T` lines only,
    a discontinuous span taken from its first start to its last end."""
    path = Path(path)
    texts = sorted(path.glob("*.txt")) if path.is_dir() else [path.with_suffix(".txt")]
    docs = []
    for txt in texts:
        ann = txt.with_suffix(".ann")
        entities = []
        if ann.exists():
            for label, spans in _BRAT.findall(ann.read_text(encoding="utf-8")):
                numbers = [int(n) for n in re.split(r"[ ;]", spans)]
                entities.append(Entity(label, min(numbers), max(numbers)))
        docs.append(Doc(txt.stem, txt.read_bytes().decode("utf-8"), entities))  # offsets: keep \r
    return docs
