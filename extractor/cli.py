"""The `derek` command: extract, run, export, explain, eval, models."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from extractor import models as model_store
from extractor.api import extract_text, manifest_frame, records_frame, run_files
from extractor.document import detect_language
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

    if args.format != "csv":
        return _eval_spans(args)
    if not args.predicted:
        print("derek eval: give the records.csv to score (or --format iob2/brat)", file=sys.stderr)
        return 2
    for path in (args.gold, args.predicted):
        if not Path(path).exists():
            print(f"derek eval: no such file: {path}", file=sys.stderr)
            return 2
    predicted = pd.read_csv(args.predicted, dtype={"doc_id": str}, keep_default_na=False)
    predicted["value"] = predicted["value"].astype(float)
    print(report(evaluate(read_gold(args.gold), predicted)))
    return 0


def _eval_spans(args: argparse.Namespace) -> int:
    """Span mode: run derek on an annotated corpus (IOB2 or brat) and score its spans."""
    from extractor.evaluation.corpora import read_brat, read_iob2
    from extractor.evaluation.report import errors_file, span_report
    from extractor.evaluation.spans import evaluate_spans

    if not Path(args.gold).exists():
        print(f"derek eval: no such file or folder: {args.gold}", file=sys.stderr)
        return 2
    docs = read_iob2(args.gold) if args.format == "iob2" else read_brat(args.gold)
    tagger = make_tagger(args.tagger or "none", args.models)
    # the corpus's language, detected once on its text where not given
    lang = args.lang or detect_language(" ".join(doc.text for doc in docs[:2000]))
    result = evaluate_spans(docs, Path(args.gold).name, lang, tagger)
    if args.errors:
        Path(args.errors).write_text(errors_file(result), encoding="utf-8")
    print(span_report(result, args.show))
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
        "--tagger", choices=TAGGERS, help="none (the default: the most accurate measured) or stanza"
    )
    command.add_argument(
        "--models", help="folder of Stanza models (default: $DEREK_MODELS or the bundled set)"
    )


def _run(args: argparse.Namespace) -> int:
    from extractor.nightly import RunOptions, run
    from extractor.progress import json_log, text_log

    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        print(f"derek run: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    options = RunOptions(
        inputs=args.inputs,
        store=Path(args.store),
        tagger=args.tagger,
        models=args.models,
        workers=args.workers or os.cpu_count() or 1,
        dask=args.dask,
        progress=False if args.log_json or args.no_progress else None,
    )
    log = json_log() if args.log_json else text_log()
    summary = run(options, log)
    if args.log_json:
        log("summary", vars(summary) | {"seconds": round(summary.seconds, 2)})
    else:
        print(summary.line())
    return 0


def _export(args: argparse.Namespace) -> int:
    from extractor.output import export_store

    store = Path(args.store)
    if not (store / "derek.sqlite").exists():
        print(
            f"derek export: no store in {store} (run `derek run INPUT --store {store}` first)",
            file=sys.stderr,
        )
        return 2
    written = export_store(store, args.format, Path(args.output) if args.output else None)
    print(f"wrote {written}")
    return 0


def _add_store_commands(commands: argparse._SubParsersAction) -> None:
    nightly = commands.add_parser("run", help="incremental run into a store (only new or changed files)")
    nightly.add_argument("inputs", nargs="+", help=".txt, .html, .jsonl files or folders")
    nightly.add_argument("--store", default="outputs", help="folder of the store and the outputs")
    nightly.add_argument(
        "--workers", type=int, help="processes on this machine (default: the number of cores)"
    )
    nightly.add_argument("--dask", metavar="tcp://HOST:PORT", help="run on this dask.distributed scheduler")
    nightly.add_argument("--log-json", action="store_true", help="machine-readable log lines on stderr")
    nightly.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    _add_tagger_options(nightly)
    nightly.set_defaults(run=_run)
    export = commands.add_parser("export", help="write the dataset held in a store")
    export.add_argument("--store", default="outputs", help="folder of the store")
    export.add_argument("--format", choices=("csv", "parquet", "jsonl"), default="csv")
    export.add_argument("-o", "--output", help="file to write (default: records.FORMAT in the store folder)")
    export.set_defaults(run=_export)


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
    score = commands.add_parser(
        "eval", help="score records.csv against a gold CSV, or derek's spans against an IOB2/brat corpus"
    )
    score.add_argument("gold", help="gold CSV or folder; with --format iob2/brat the annotated corpus")
    score.add_argument("predicted", nargs="?", help="records.csv written by derek extract (csv format)")
    score.add_argument(
        "--format", choices=("csv", "iob2", "brat"), default="csv",
        help="csv: gold CSV vs records.csv; iob2 (CoNLL, e.g. KazNERD) or brat (.txt+.ann): span mode",
    )  # fmt: skip
    score.add_argument("--lang", help="span mode: language of the corpus (default: detected)")
    score.add_argument("--show", type=int, default=0, metavar="N", help="span mode: list N errors per kind")
    score.add_argument("--errors", metavar="FILE", help="span mode: write every error, grouped, to FILE")
    _add_tagger_options(score)
    score.set_defaults(run=_eval)
    _add_store_commands(commands)
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


def console_main() -> None:
    """The `derek` command. Once torch is loaded, the interpreter's teardown takes about a
    second; by the time main returns every file is closed, so the process ends at once."""
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
