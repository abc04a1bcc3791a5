"""Training data for derek's Stanza models, built from the UD and KazNERD files in ../shared.

Each corpus is pooled and split by a hash of the sentence id, so the split is the same on
every machine and does not depend on file order: 10% held out for the scores we report,
10% dev for early stopping, 80% train.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

SPLITS = ("train", "dev", "heldout")


@dataclass(frozen=True)
class Sentence:
    sent_id: str
    comments: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # CoNLL-U columns of the syntactic words

    @property
    def text(self) -> str:
        parts = []
        for row in self.rows:
            parts.append(row[1])
            if "SpaceAfter=No" not in row[9]:
                parts.append(" ")
        return "".join(parts).strip()


def split_of(key: str) -> str:
    bucket = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 10
    return "heldout" if bucket == 0 else "dev" if bucket == 1 else "train"


def read_conllu(path: Path) -> list[Sentence]:
    sentences, comments, rows = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if rows:
                sentences.append(_sentence(path.name, len(sentences), comments, rows))
            comments, rows = [], []
        elif line.startswith("#"):
            comments.append(line)
        else:
            rows.append(tuple(line.split("\t")))
    return sentences


def _sentence(source: str, index: int, comments: list[str], rows: list[tuple[str, ...]]) -> Sentence:
    sent_id = next((c.split("=", 1)[1].strip() for c in comments if c.startswith("# sent_id")), "")
    return Sentence(f"{source}:{sent_id or index}", tuple(comments), _flatten_mwt(rows))


def _flatten_mwt(rows: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Multi-word tokens become one word: derek only needs the surface token's tag and lemma.

    The token keeps the first part's lemma and tags, so no MWT expander is needed. Heads are
    remapped onto the merged token; the taggers trained here do not read them.
    """
    out: list[list[str]] = []
    new_id: dict[str, str] = {}
    skip_until = 0
    for row in rows:
        ident = row[0]
        if "." in ident:  # empty nodes of enhanced dependencies
            continue
        if "-" in ident:
            start, end = (int(n) for n in ident.split("-"))
            first = next(r for r in rows if r[0] == str(start))
            out.append([str(start), row[1], *first[2:9], row[9]])
            new_id.update({str(n): str(len(out)) for n in range(start, end + 1)})
            skip_until = end
        elif int(ident) > skip_until:
            out.append(list(row))
            new_id[ident] = str(len(out))
    for index, row in enumerate(out, start=1):
        head = new_id.get(row[6], "0")
        row[0], row[6], row[8] = str(index), "0" if head == str(index) else head, "_"
    return tuple(tuple(row) for row in out)


def split_sentences(sentences: list[Sentence]) -> dict[str, list[Sentence]]:
    parts: dict[str, list[Sentence]] = {name: [] for name in SPLITS}
    for sentence in sentences:
        parts[split_of(sentence.sent_id)].append(sentence)
    return parts


def write_plaintext(sentences: list[Sentence], path: Path, per_paragraph: int = 8) -> None:
    """Raw text for the tokenizer: sentences joined by spaces, a blank line every few sentences."""
    paragraphs = [
        " ".join(s.text for s in sentences[i : i + per_paragraph])
        for i in range(0, len(sentences), per_paragraph)
    ]
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    # the conllu twin must carry the same paragraph breaks for the label writer
    tagged = []
    for i, sentence in enumerate(sentences):
        lines = (["# newpar"] if i % per_paragraph == 0 else []) + [f"# sent_id = {sentence.sent_id}"]
        lines += ["\t".join(_upos_only(row)) for row in sentence.rows]
        tagged.append("\n".join(lines))
    path.with_suffix(".conllu").write_text("\n\n".join(tagged) + "\n\n", encoding="utf-8")


def _upos_only(row: tuple[str, ...]) -> tuple[str, ...]:
    """XPOS and features are dropped: derek reads UPOS and lemmas, and the feature
    classifiers would triple the tagger's training time on a CPU."""
    return (*row[:4], "_", "_", *row[6:])


def read_iob(path: Path) -> list[list[tuple[str, str]]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        word, _, tag = line.rpartition(" ")
        current.append((word, tag))
    if current:
        sentences.append(current)
    return sentences


def split_iob(sentences: list[list[tuple[str, str]]], source: str) -> dict[str, list]:
    parts: dict[str, list] = {name: [] for name in SPLITS}
    for index, sentence in enumerate(sentences):
        parts[split_of(f"{source}:{index}")].append(sentence)
    return parts


def write_ner_json(sentences: list[list[tuple[str, str]]], path: Path) -> None:
    doc = [[{"text": word, "ner": tag} for word, tag in sentence] for sentence in sentences]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
