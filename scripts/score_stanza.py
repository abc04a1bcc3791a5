"""Score derek's Stanza models on the held-out split and record the scores in their manifests.

    python scripts/score_stanza.py --lang kk
    python scripts/score_stanza.py --lang ru

Tokenizer: token F1 on the held-out raw text. Tagger: UPOS accuracy on gold tokens; where a
morphological dictionary exists for the language, its POS check is kept (POS manifest
`check`) if it helps on the dev split, and held-out UPOS is reported with and without it.
Lemmas: accuracy on gold tokens with predicted UPOS, compared without case and with ё = е;
the dictionary's lemmatizer is scored the same way, and the lemma manifest's `engine` is
set to the better one. NER: entity F1 (exact span and type).
Run scripts/train_stanza.py first: it writes the held-out files under build/stanza/.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import stanza_data as data  # noqa: E402

from extractor.morphology import ENGINES, POS_CHECKS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DICTIONARIES = {"ru": ["pymorphy3"]}  # morphological dictionaries that exist for the language


def _same_lemma(a: str, b: str) -> bool:
    return a.casefold().replace("ё", "е") == b.casefold().replace("ё", "е")


def _pipeline(models: Path, processors: str, pretokenized: bool) -> object:
    import stanza

    paths: dict[str, object] = {f"{p}_model_path": str(models / f"{p}.pt") for p in processors.split(",")}
    pos = json.loads((models / "pos.json").read_text(encoding="utf-8"))
    pretrain = models / pos["pretrain"] if pos.get("pretrain") else None
    paths.update(pos_pretrain_path=str(pretrain) if pretrain else None, ner_pretrain_path=None)
    resources = models.parent / "resources.json"
    if not resources.exists():
        resources.write_text("{}\n", encoding="utf-8")
    return stanza.Pipeline(
        lang=models.name,
        dir=str(models.parent),
        processors=processors,
        download_method=None,
        tokenize_pretokenized=pretokenized,
        use_gpu=False,
        logging_level="WARN",
        **paths,
    )


def _tagged(models: Path, sentences: list[data.Sentence]) -> list[tuple[tuple[str, ...], object]]:
    nlp = _pipeline(models, "tokenize,pos,lemma", pretokenized=True)
    doc = nlp([[row[1] for row in s.rows] for s in sentences])  # type: ignore[operator]
    return [
        (gold, word)
        for s, sent in zip(sentences, doc.sentences, strict=True)
        for gold, word in zip(s.rows, sent.words, strict=True)
    ]


def _upos_accuracy(words: list, check: Callable[[str, str], str] | None) -> float:
    right = sum(gold[3] == (check(w.text, w.upos) if check else w.upos) for gold, w in words)
    return right / len(words)


def choose_pos_check(models: Path, dev: list[data.Sentence]) -> str | None:
    """The dictionary POS check that helps on the dev split, if any (never tuned on held-out)."""
    words = _tagged(models, dev)
    scores = {name: _upos_accuracy(words, POS_CHECKS[name]) for name in DICTIONARIES.get(models.name, [])}
    best = max(scores, key=lambda k: scores[k], default=None)
    return best if best is not None and scores[best] > _upos_accuracy(words, None) else None


def score_tagging(models: Path, heldout: list[data.Sentence], check: str | None) -> dict[str, dict]:
    words = _tagged(models, heldout)
    total = len(words)
    pos = {"upos": round(100 * _upos_accuracy(words, None), 2), "words": total}
    fix = POS_CHECKS[check] if check else None
    if fix is not None:
        pos[f"upos_with_{check}_check"] = round(100 * _upos_accuracy(words, fix), 2)
    lemmas = {"stanza": sum(_same_lemma(gold[2], w.lemma or "") for gold, w in words) / total}
    for engine in DICTIONARIES.get(models.name, []):
        lemmatize = ENGINES[engine]
        upos_of = (lambda w: fix(w.text, w.upos)) if fix else (lambda w: w.upos)
        lemmas[engine] = sum(_same_lemma(gold[2], lemmatize(w.text, upos_of(w))) for gold, w in words) / total
    return {"pos": pos, "lemma": {k: round(100 * v, 2) for k, v in lemmas.items()} | {"words": total}}


def score_tokenizer(models: Path, work: Path, heldout: list[data.Sentence]) -> dict[str, float]:
    text = (work / "heldout.txt").read_text(encoding="utf-8")
    nlp = _pipeline(models, "tokenize", pretokenized=False)
    predicted = {(t.start_char, t.end_char) for s in nlp(text).sentences for t in s.tokens}  # type: ignore[operator]
    gold, position = set(), 0
    for sentence in heldout:
        for row in sentence.rows:
            start = text.index(row[1], position)
            gold.add((start, start + len(row[1])))
            position = start + len(row[1])
    hits = len(gold & predicted)
    precision, recall = hits / len(predicted), hits / len(gold)
    return {"token_f1": round(200 * precision * recall / (precision + recall), 2), "tokens": len(gold)}


def score_ner(models: Path, work: Path) -> dict[str, float]:
    sentences = json.loads((work / "ner.heldout.json").read_text(encoding="utf-8"))
    nlp = _pipeline(models, "tokenize,ner", pretokenized=True)
    doc = nlp([[w["text"] for w in s] for s in sentences])  # type: ignore[operator]
    gold = {(i, *span) for i, s in enumerate(sentences) for span in _spans([w["ner"] for w in s])}
    pred = {(i, *span) for i, s in enumerate(doc.sentences) for span in _spans([t.ner for t in s.tokens])}
    hits = len(gold & pred)
    precision, recall = hits / max(1, len(pred)), hits / max(1, len(gold))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return {"entity_f1": round(100 * f1, 2), "entities": len(gold)}


def _spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans from BIO or BIOES tags."""
    spans, start, kind = set(), None, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and (prefix in ("O", "B", "S") or label != kind):
            spans.add((start, i, kind))
            start = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and start is None):
            start, kind = i, label
        if prefix in ("E", "S") and start is not None:
            spans.add((start, i + 1, kind))
            start = None
    return spans


def record(models: Path, part: str, scores: dict, extra: dict | None = None) -> None:
    path = models / f"{part}.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["scores"] = {"split": "heldout"} | scores
    manifest.update(extra or {})
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", required=True)
    parser.add_argument("--models", type=Path, default=ROOT / "models" / "stanza")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "stanza")
    args = parser.parse_args(argv)
    models, work = args.models / args.lang, args.work / args.lang
    heldout = data.read_conllu(work / "heldout.conllu")
    check = choose_pos_check(models, data.read_conllu(work / "dev.conllu"))
    tagging = score_tagging(models, heldout, check)
    best = max((k for k in tagging["lemma"] if k != "words"), key=lambda k: tagging["lemma"][k])
    record(models, "pos", tagging["pos"], {"check": check})
    record(models, "lemma", tagging["lemma"], {"engine": best})
    record(models, "tokenize", score_tokenizer(models, work, heldout))
    if (models / "ner.pt").exists() and (work / "ner.heldout.json").exists():
        record(models, "ner", score_ner(models, work))
    for part in ("tokenize", "pos", "lemma", "ner"):
        if (models / f"{part}.json").exists():
            scores = json.loads((models / f"{part}.json").read_text(encoding="utf-8"))["scores"]
            print(f"{args.lang}/{part}: {scores}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
