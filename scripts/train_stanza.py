"""Train derek's Stanza models offline from ../shared, and write a manifest beside each model.

    python scripts/train_stanza.py --lang kk --parts tokenize,pos,lemma,ner
    python scripts/train_stanza.py --lang ru --parts tokenize,pos,lemma

No network: no charlm, no downloaded word vectors (--no_pretrain), small hidden sizes so
the bundle stays small. Held-out scores are measured afterwards by scripts/score_stanza.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stanza_data as data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# What each language is trained from (paths under the shared data folder).
SOURCES: dict[str, dict[str, list[str]]] = {
    "kk": {
        "ud": ["ud/UD_Kazakh-KTB/kk_ktb-ud-train.conllu", "ud/UD_Kazakh-KTB/kk_ktb-ud-test.conllu"],
        "ner": ["ner/KazNERD/IOB2_valid.txt"],
    },
    "ru": {
        "ud": [
            "ud/UD_Russian-GSD/ru_gsd-ud-dev.conllu",
            "ud/UD_Russian-GSD/ru_gsd-ud-test.conllu",
            "ud/UD_Russian-Taiga/ru_taiga-ud-dev.conllu",
            "ud/UD_Russian-Taiga/ru_taiga-ud-test.conllu",
        ],
        "ner": [],
    },
}

# Sizes chosen for a small bundle and CPU training; steps are per part.
SETTINGS: dict[str, str] = {
    "tokenize": "--steps {steps} --eval_steps {interval} --batch_size 32",
    "pos": (
        "--no_pretrain --max_steps {steps} --eval_interval {interval} --batch_size 50 "
        "--hidden_dim 200 --char_hidden_dim 300 --deep_biaff_hidden_dim 200 "
        "--composite_deep_biaff_hidden_dim 60 --word_emb_dim 75 --char_emb_dim 50"
    ),
    "lemma": "--num_epoch {steps} --hidden_dim 128 --batch_size 50",
    "ner": (
        "--no_pretrain --max_steps {steps} --eval_interval {interval} --hidden_dim 128 "
        "--char_hidden_dim 64 --word_emb_dim 64 --scheme bio"
    ),
}
DEFAULT_STEPS = {"tokenize": 1200, "pos": 1500, "lemma": 30, "ner": 1500}


def prepare(lang: str, shared: Path, work: Path) -> dict[str, dict[str, object]]:
    """Pool the language's treebanks, split them, write the files each trainer reads.

    Returns what each kind of model was trained from, for the manifests.
    """
    work.mkdir(parents=True, exist_ok=True)
    sentences = [s for rel in SOURCES[lang]["ud"] for s in data.read_conllu(shared / rel)]
    parts = data.split_sentences(sentences)
    for name, chunk in parts.items():
        data.write_plaintext(chunk, work / f"{name}.txt")
        _token_labels(work / f"{name}.txt")
    split = "sha1(sentence id) mod 10: 0 held out, 1 dev, others train"
    counts = {name: {"sentences": len(c), "words": sum(len(s.rows) for s in c)} for name, c in parts.items()}
    used = {"ud": {"sources": SOURCES[lang]["ud"], "split": split, "counts": counts}}
    for rel in SOURCES[lang]["ner"]:
        ner_parts = data.split_iob(data.read_iob(shared / rel), Path(rel).name)
        for name, chunk in ner_parts.items():
            data.write_ner_json(chunk, work / f"ner.{name}.json")
        ner_counts = {name: {"sentences": len(c)} for name, c in ner_parts.items()}
        used["ner"] = {"sources": SOURCES[lang]["ner"], "split": split, "counts": ner_counts}
    return used


def _token_labels(txt: Path) -> None:
    from stanza.utils.datasets import prepare_tokenizer_data

    conllu = txt.with_suffix(".conllu")
    prepare_tokenizer_data.main(
        [
            str(txt),
            str(conllu),
            "-o",
            str(txt.with_suffix(".toklabels")),
            "-m",
            str(txt.with_suffix(".mwt.json")),
        ]
    )


def train_part(part: str, lang: str, work: Path, out: Path, steps: int, pretrain: bool) -> None:
    settings = _settings(part, steps, pretrain and work)
    common = [
        "--shorthand",
        f"{lang}_derek",
        "--save_dir",
        str(out),
        "--save_name",
        f"{part}.pt",
        "--seed",
        "1234",
    ]
    if part in ("tokenize", "pos"):  # the other trainers take the language from the shorthand
        common += ["--lang", lang]
    module, args = _trainer_args(part, work)
    module.main(args + common + settings)  # type: ignore[attr-defined]


def _settings(part: str, steps: int, pretrain_dir: Path | bool = False) -> list[str]:
    # stanza only saves a model after its first dev evaluation
    interval = max(1, min(100, steps // 5))
    line = SETTINGS[part].format(steps=steps, interval=interval)
    if pretrain_dir and part == "pos":
        line = line.replace("--no_pretrain", f"--wordvec_pretrain_file {Path(pretrain_dir) / 'pretrain.pt'}")
    return line.split()


# Each trainer's module and its data files (under the work folder), as Stanza's flags.
TRAINERS: dict[str, tuple[str, str]] = {
    "tokenize": (
        "tokenizer",
        "--txt_file train.txt --label_file train.toklabels --mwt_json_file train.mwt.json "
        "--dev_txt_file dev.txt --dev_label_file dev.toklabels --dev_conll_gold dev.conllu "
        "--conll_file dev.tok.pred.conllu --no_use_mwt",
    ),
    "pos": ("tagger", "--train_file train.conllu --eval_file dev.conllu --output_file dev.pos.pred.conllu"),
    "lemma": (
        "lemmatizer",
        "--train_file train.conllu --eval_file dev.conllu --output_file dev.lemma.pred.conllu",
    ),
    "ner": ("ner_tagger", "--train_file ner.train.json --eval_file ner.dev.json"),
}


def _trainer_args(part: str, work: Path) -> tuple[object, list[str]]:
    import importlib

    module_name, flags = TRAINERS[part]
    module = importlib.import_module(f"stanza.models.{module_name}")
    args = ["--mode", "train"]
    for flag in flags.split():
        args.append(flag if flag.startswith("--") else str(work / flag))
    return module, args


def write_manifest(
    part: str, lang: str, out: Path, prepared: dict, steps: int, seconds: float, pretrain: bool
) -> None:
    model = out / f"{part}.pt"
    manifest = {
        "model": f"{lang}/{part}",
        "file": model.name,
        "stanza": _stanza_version(),
        "data": prepared["ner" if part == "ner" else "ud"],
        "settings": " ".join(_settings(part, steps, pretrain and Path("build/stanza") / lang)),
        "steps": steps,
        "train_seconds": round(seconds, 1),
        "size_bytes": model.stat().st_size,
        "date": dt.date.today().isoformat(),
        "scores": {},
    }
    if pretrain and part == "pos":
        manifest["pretrain"] = "pretrain.pt"
    (out / f"{part}.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _word_vectors(work: Path, out: Path, prepared: dict) -> None:
    """Vectors from the train split's text, shipped beside the POS model that reads them."""
    import word_vectors
    from stanza.models.common.pretrain import Pretrain

    vectors = word_vectors.train(work, dim=50)
    (work / "pretrain.pt").unlink(missing_ok=True)
    words = len(Pretrain(str(work / "pretrain.pt"), str(vectors), max_vocab=-1).vocab)
    shutil.copy(work / "pretrain.pt", out / "pretrain.pt")
    manifest = {
        "model": f"{out.name}/pretrain",
        "file": "pretrain.pt",
        "data": {"text of": "the train split (UD, and KazNERD where the language has it)"},
        "settings": "word2vec skip-gram, 50 dimensions, window 5, min count 2, 20 epochs (gensim)",
        "words": words,
        "size_bytes": (out / "pretrain.pt").stat().st_size,
        "date": dt.date.today().isoformat(),
        "scores": {},
    }
    (out / "pretrain.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _stanza_version() -> str:
    import stanza

    return stanza.__version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", required=True, choices=sorted(SOURCES))
    parser.add_argument("--parts", default="tokenize,pos,lemma")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "stanza")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "stanza")
    parser.add_argument("--steps", default="", help="part=N,... overriding the default steps")
    parser.add_argument("--pretrain", action="store_true", help="POS uses word vectors (word_vectors.py)")
    args = parser.parse_args(argv)
    steps = DEFAULT_STEPS | {k: int(v) for k, v in (p.split("=") for p in args.steps.split(",") if p)}
    work, out = args.work / args.lang, args.out / args.lang
    out.mkdir(parents=True, exist_ok=True)
    prepared = prepare(args.lang, args.shared, work)
    if args.pretrain:
        _word_vectors(work, out, prepared)
    for part in args.parts.split(","):
        started = time.monotonic()
        train_part(part, args.lang, work, work / "models", steps[part], args.pretrain)
        shutil.copy(work / "models" / f"{part}.pt", out / f"{part}.pt")
        seconds = time.monotonic() - started
        write_manifest(part, args.lang, out, prepared, steps[part], seconds, args.pretrain)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
