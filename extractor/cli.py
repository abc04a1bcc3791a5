"""The `derek` command: extract, explain, eval."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from extractor import models as model_store
from extractor.api import extract_text, manifest_frame, records_frame, run_files
from extractor.evaluate import evaluate, read_gold, report
from extractor.langdata import available_languages
from extractor.output import write_outputs
from extractor.record import Record
from extractor.tagging import TAGGERS, Tagger, make_tagger


def _extract(args: argparse.Namespace) -> int:
    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        print(f"derek extract: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    tagger = _make_tagger(args)
    records, manifest = run_files(args.inputs, tagger)
    out = Path(args.output)
    write_outputs(records_frame(records), manifest_frame(manifest), out)
    failed = [m for m in manifest if m.status != "ok"]
    print(f"{len(manifest)} documents, {len(records)} records -> {out}/ (tagger: {tagger.name})")
    for row in failed:
        print(f"  {row.status}: {row.source}: {row.error}")
    return 0


def describe(record: Record) -> str:
    """One figure as `derek explain` shows it."""
    where = record.region_code or "-"
    lines = [
        f"«{record.value_text}» [{record.char_start}:{record.char_end}]",
        f"  value {record.value:g} {record.unit}"
        + (f" ({record.qualifier})" if record.qualifier else "")
        + f"  {record.measure}, {record.status}",
        f"  region {where} {record.region_name} «{record.region_mention}»"
        f"  year {record.year or '-'} {record.period}",
        f"  indicator {record.indicator or '-'}",
        "  patterns: " + ", ".join(record.patterns),
    ]
    return "\n".join(lines)


def _explain(args: argparse.Namespace) -> int:
    text = Path(args.file).read_text(encoding="utf-8") if args.file else args.text
    if not text:
        print("derek explain: give a text or --file", file=sys.stderr)
        return 2
    tagger = _make_tagger(args)
    records = extract_text(text, lang=args.lang, published=args.published, tagger=tagger)
    if not records:
        print("no figures found")
    for record in records:
        print(describe(record))
    return 0


def _eval(args: argparse.Namespace) -> int:
    import pandas as pd

    for path in (args.gold, args.predicted):
        if not Path(path).exists():
            print(f"derek eval: no such file: {path}", file=sys.stderr)
            return 2
    predicted = pd.read_csv(args.predicted, dtype={"doc_id": str}, keep_default_na=False)
    predicted["value"] = predicted["value"].astype(float)
    print(report(evaluate(read_gold(args.gold), predicted)))
    return 0


def _make_tagger(args: argparse.Namespace) -> Tagger:
    return make_tagger(args.tagger, args.models)


def _models(args: argparse.Namespace) -> int:
    directory = model_store.models_dir(args.models)
    if args.action == "download":
        directory.mkdir(parents=True, exist_ok=True)
        fetched = model_store.download(directory, args.lang or available_languages())
        print(f"downloaded {len(fetched)} models into {directory}")
    print(model_store.describe(directory))
    return 0


def _add_tagger_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--tagger", choices=TAGGERS, help="stanza (the default when its models are installed) or none"
    )
    command.add_argument(
        "--models", help="folder of Stanza models (default: $DEREK_MODELS or the bundled set)"
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="derek", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="extract records from files and folders")
    extract.add_argument("inputs", nargs="+", help=".txt, .html, .jsonl files or folders")
    extract.add_argument("-o", "--output", default="outputs", help="output folder")
    _add_tagger_options(extract)
    extract.set_defaults(run=_extract)
    explain = commands.add_parser("explain", help="show the figures of a text and why")
    explain.add_argument("text", nargs="?", help="the text (or use --file)")
    explain.add_argument("--file", help="read the text from this file")
    explain.add_argument("--lang", help="kk or ru (detected when not given)")
    explain.add_argument("--published", help="publication date, e.g. 2024-01-15")
    _add_tagger_options(explain)
    explain.set_defaults(run=_explain)
    score = commands.add_parser("eval", help="score records.csv against a gold CSV or folder")
    score.add_argument("gold", help="gold CSV, or a folder of them")
    score.add_argument("predicted", help="records.csv written by derek extract")
    score.set_defaults(run=_eval)
    models = commands.add_parser("models", help="list the Stanza models, or download the official ones")
    models.add_argument("action", nargs="?", choices=("list", "download"), default="list")
    models.add_argument("--models", help="the models folder (default: $DEREK_MODELS or the bundled set)")
    models.add_argument(
        "--lang", action="append", help="language to fetch (repeatable; default: all in patterns/)"
    )
    models.set_defaults(run=_models)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except model_store.ModelsMissing as exc:
        print(f"derek {args.command}: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
