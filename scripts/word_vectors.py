"""Small word vectors for the taggers, trained offline on the training split's own text.

    python scripts/word_vectors.py --lang kk   # writes build/stanza/kk/vectors.txt

kk: the UD train split plus the KazNERD train split (text only, no labels); ru: the UD train
split. scripts/train_stanza.py --pretrain calls this and converts the word2vec text file into a
Stanza pretrain file (as `stanza.models.common.convert_pretrain` does) for --wordvec_pretrain_file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stanza_data as data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def sentences(work: Path) -> list[list[str]]:
    text = [[row[1].lower() for row in s.rows] for s in data.read_conllu(work / "train.conllu")]
    ner = work / "ner.train.json"
    if ner.exists():
        text += [[w["text"].lower() for w in s] for s in json.loads(ner.read_text(encoding="utf-8"))]
    return text


def train(work: Path, dim: int) -> Path:
    from gensim.models import Word2Vec

    corpus = sentences(work)
    model = Word2Vec(corpus, vector_size=dim, window=5, min_count=2, sg=1, epochs=20, workers=1, seed=7)
    out = work / "vectors.txt"
    model.wv.save_word2vec_format(str(out), binary=False)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", required=True)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "stanza")
    parser.add_argument("--dim", type=int, default=50)
    args = parser.parse_args(argv)
    print(train(args.work / args.lang, args.dim))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
