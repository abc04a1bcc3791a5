"""The `derek` command: extract, run, export, explain, eval, models."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from extractor import models as model_store
from extractor import resources
from extractor.api import manifest_frame, records_frame, run_files
from extractor.cli_help import DerekParser, add_examples
from extractor.desk.commands import add_commands as add_desk_commands
from extractor.document import detect_language
from extractor.evaluate import evaluate, read_gold, report
from extractor.langdata import available_languages
from extractor.output import write_outputs
from extractor.review.commands import add_import_command
from extractor.runcommand import add_forget_command, add_run_arguments, positive_count, run_command
from extractor.tagging import TAGGERS, Tagger, make_tagger
from extractor.terminal import is_terminal, printable

if TYPE_CHECKING:  # annotations only
    import pandas as pd

    from extractor.explain import ExplainOptions
    from extractor.reader import Article, Failure

EXIT_PROBLEM, EXIT_USAGE, EXIT_MODELS, EXIT_WRITE, EXIT_INTERRUPTED = 1, 2, 3, 5, 130


def _extract(args: argparse.Namespace) -> int:
    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        print(f"derek extract: no such file or folder: {printable(', '.join(missing))}", file=sys.stderr)
        return EXIT_USAGE
    tagger = _make_tagger(args)  # missing models are told before anything is written
    out = Path(args.output)
    problem = _unwritable(out)  # found before the work, not after it
    if problem:
        print(f"derek extract: cannot write to {printable(str(out))}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    records, manifest = run_files(args.inputs, tagger)
    try:
        write_outputs(records_frame(records), manifest_frame(manifest), out)
    except OSError as exc:  # a full disk, a folder removed meanwhile
        print(f"derek extract: cannot write the outputs: {printable(str(exc))}", file=sys.stderr)
        return EXIT_WRITE
    failed = [m for m in manifest if m.status != "ok"]
    where = printable(str(out))
    print(f"{len(manifest)} documents, {len(records)} records -> {where}/ (tagger: {tagger.name})")
    for row in failed:
        print(f"  {row.status}: {printable(row.source)}: {printable(row.error)}")
    return 0


def _unwritable(folder: Path) -> str:
    """Why files cannot be written into folder ("" when they can); creates it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return ""
    except OSError as exc:
        return exc.strerror or str(exc)


def _explain(args: argparse.Namespace) -> int:
    from extractor.explain import ExplainOptions, explain, file_articles, text_article

    if bool(args.file) == bool(args.text):
        print("derek explain: give a text or --file (one of them)", file=sys.stderr)
        return EXIT_USAGE
    if args.file and not Path(args.file).exists():
        print(f"derek explain: no such file or folder: {printable(args.file)}", file=sys.stderr)
        return EXIT_USAGE
    items = file_articles(Path(args.file)) if args.file else [text_article(args.text)]
    options = ExplainOptions(args.lang, args.published, _make_tagger(args), is_terminal(sys.stdout))
    if args.html:
        return _explain_html(items, options, args)
    explained = explain(items, options, sys.stdout, sys.stderr, heading=bool(args.file))
    return 0 if explained else EXIT_PROBLEM  # every article unreadable: said on stderr


def _explain_html(
    items: Iterable[Article | Failure], options: ExplainOptions, args: argparse.Namespace
) -> int:
    """`derek explain --html FILE`: the figures as displaCy's span page instead of text."""
    from extractor.integrations.spacy import spacy_missing

    if spacy_missing("derek explain --html"):
        print(spacy_missing("derek explain --html"), file=sys.stderr)
        return EXIT_USAGE
    from extractor.integrations.spacy.display import write_explain_html

    html = Path(args.html)
    try:
        articles, figures = write_explain_html(items, options, html, sys.stderr, titles=bool(args.file))
    except OSError as exc:
        print(f"derek explain: cannot write {printable(str(html))}: {printable(str(exc))}", file=sys.stderr)
        return EXIT_WRITE
    if not articles:
        return EXIT_PROBLEM  # every article unreadable: said on stderr
    print(f"wrote {printable(str(html))} ({figures} figures in {articles} articles)")
    return 0


def _eval(args: argparse.Namespace) -> int:
    if args.store:
        from extractor.review.commands import eval_store

        return eval_store(args)
    if not args.gold:
        print("derek eval: give a gold file or folder (or --store)", file=sys.stderr)
        return 2
    if args.format != "csv":
        return _eval_spans(args)
    if not args.predicted:
        print("derek eval: give the records.csv to score (or --format iob2/brat)", file=sys.stderr)
        return 2
    for path in (args.gold, args.predicted):
        if not Path(path).exists():
            print(f"derek eval: no such file: {printable(path)}", file=sys.stderr)
            return EXIT_USAGE
    try:
        score = evaluate(read_gold(args.gold), _read_predicted(args.predicted))
    except (ValueError, KeyError) as exc:  # pandas' parse errors and bad bytes are ValueErrors
        print(f"derek eval: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    print(printable(report(score), keep="\n\t"))
    return 0


SCORED_COLUMNS = (
    "doc_id", "title", "sentence", "value", "unit", "region_code", "year", "indicator", "status",
)  # fmt: skip


def _read_predicted(path: str) -> pd.DataFrame:
    import pandas as pd

    predicted = pd.read_csv(path, dtype={"doc_id": str}, keep_default_na=False)
    missing = sorted(set(SCORED_COLUMNS) - set(predicted.columns))
    if missing:
        raise ValueError(f"{path}: not a records.csv written by derek (it lacks {', '.join(missing)})")
    try:
        predicted["value"] = pd.to_numeric(predicted["value"], errors="raise")
    except ValueError as exc:
        raise ValueError(f"{path}: column value: {exc}") from None
    return predicted


def _eval_spans(args: argparse.Namespace) -> int:
    """Span mode: run derek on an annotated corpus (IOB2 or brat) and score its spans."""
    from extractor.evaluation.corpora import read_brat, read_iob2
    from extractor.evaluation.report import errors_file, span_report
    from extractor.evaluation.spans import evaluate_spans

    if not Path(args.gold).exists():
        print(f"derek eval: no such file or folder: {printable(args.gold)}", file=sys.stderr)
        return EXIT_USAGE
    docs = read_iob2(args.gold) if args.format == "iob2" else read_brat(args.gold)
    tagger = make_tagger(args.tagger or "none", args.models)
    # the corpus's language, detected once on its text where not given
    lang = args.lang or detect_language(" ".join(doc.text for doc in docs[:2000]))
    result = evaluate_spans(docs, Path(args.gold).name, lang, tagger)
    if args.errors:
        Path(args.errors).write_text(errors_file(result), encoding="utf-8")
    print(printable(span_report(result, args.show), keep="\n\t"))
    return 0


def _make_tagger(args: argparse.Namespace) -> Tagger:
    return make_tagger(args.tagger, args.models)


def _models(args: argparse.Namespace) -> int:
    directory = model_store.models_dir(args.models)
    if args.action == "download":
        directory.mkdir(parents=True, exist_ok=True)
        fetched = model_store.download(directory, args.lang or available_languages())
        print(f"downloaded {len(fetched)} models into {printable(str(directory))}")
    print(printable(model_store.describe(directory), keep="\n\t"))
    return 0


def _add_tagger_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--tagger", choices=TAGGERS, help="none (the default: the most accurate measured) or stanza"
    )
    command.add_argument(
        "--models", help="folder of Stanza models (default: $DEREK_MODELS or the bundled set)"
    )


def _export(args: argparse.Namespace) -> int:
    from extractor.output import export_store

    store = Path(args.store)
    if not (store / "derek.sqlite").exists():
        print(
            f"derek export: no store in {store} (run `derek run INPUT --store {store}` first)",
            file=sys.stderr,
        )
        return 2
    if args.format == "spacy":
        return _export_spacy(store, args)
    written = export_store(store, args.format, Path(args.output) if args.output else None, args.reviewed)
    print(f"wrote {written}")
    if args.format == "label-studio":
        from extractor.review.formats import write_label_config

        print(f"wrote {write_label_config(written.parent)} (the labelling configuration of the tasks)")
    return 0


def _export_spacy(store: Path, args: argparse.Namespace) -> int:
    """`derek export --format spacy`: a DocBin whose spans["figures"] are labelled by indicator."""
    from extractor.integrations.spacy import spacy_missing

    if spacy_missing("derek export --format spacy"):
        print(spacy_missing("derek export --format spacy"), file=sys.stderr)
        return EXIT_USAGE
    from extractor.integrations.spacy.export import export_docbin

    print(export_docbin(store, Path(args.output) if args.output else None, args.reviewed).line())
    return 0


def _add_store_commands(commands: argparse._SubParsersAction) -> None:
    nightly = commands.add_parser("run", help="incremental run into a store (only new or changed files)")
    nightly.add_argument("inputs", nargs="+", help=".txt, .html, .jsonl files or folders")
    nightly.add_argument("--store", default="outputs", help="folder of the store and the outputs")
    nightly.add_argument(
        "--workers", type=positive_count, help="processes on this machine (default: the number of cores)"
    )
    nightly.add_argument("--dask", metavar="tcp://HOST:PORT", help="run on this dask.distributed scheduler")
    nightly.add_argument("--log-json", action="store_true", help="machine-readable log lines on stderr")
    nightly.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    add_run_arguments(nightly)
    _add_tagger_options(nightly)
    nightly.set_defaults(run=run_command)
    add_forget_command(commands)
    export = commands.add_parser("export", help="write the dataset held in a store")
    export.add_argument("--store", default="outputs", help="folder of the store")
    export.add_argument(
        "--format", choices=("csv", "parquet", "jsonl", "gold", "label-studio", "spacy"), default="csv",
        help="the dataset (csv, parquet, jsonl), the reviewed figures as gold for `derek eval`, "
        "Label Studio tasks, or a spaCy DocBin with spans['figures'] labelled by indicator",
    )  # fmt: skip
    export.add_argument(
        "--reviewed", action="store_true",
        help="editors' decisions applied: fixes in, wrong records out, added figures in",
    )  # fmt: skip
    export.add_argument("-o", "--output", help="file to write (default: records.FORMAT in the store folder)")
    export.set_defaults(run=_export)
    add_import_command(commands)
    add_desk_commands(commands)


def _add_extract_command(commands: argparse._SubParsersAction) -> None:
    extract = commands.add_parser("extract", help="extract records from files and folders")
    extract.add_argument("inputs", nargs="+", help=".txt, .html, .jsonl files or folders")
    extract.add_argument("-o", "--output", default="outputs", help="output folder")
    _add_tagger_options(extract)
    extract.set_defaults(run=_extract)


def _add_explain_command(commands: argparse._SubParsersAction) -> None:
    explain = commands.add_parser("explain", help="show the figures of a text and why")
    explain.add_argument("text", nargs="?", help="the text (or use --file)")
    explain.add_argument("--file", help=".txt, .html or .jsonl file or folder, read as extract reads it")
    explain.add_argument(
        "--lang", choices=available_languages(), help="language (default: a feed's own, else detected)"
    )
    explain.add_argument("--published", help="publication date, e.g. 2024-01-15 (default: the article's own)")
    explain.add_argument(
        "--html", metavar="FILE", help="write displaCy's page of the figures to FILE instead (needs spaCy)"
    )
    _add_tagger_options(explain)
    explain.set_defaults(run=_explain)


def _add_eval_command(commands: argparse._SubParsersAction) -> None:
    score = commands.add_parser(
        "eval", help="score records.csv against a gold CSV, or derek's spans against an IOB2/brat corpus"
    )
    score.add_argument(
        "gold", nargs="?", help="gold CSV or folder; with --format iob2/brat the annotated corpus"
    )
    score.add_argument("--store", help="score the reviewed records of this store against editors' decisions")
    score.add_argument("predicted", nargs="?", help="records.csv written by derek extract (csv format)")
    score.add_argument(
        "--format", choices=("csv", "iob2", "brat"), default="csv",
        help="csv: gold CSV vs records.csv; iob2 (CoNLL, e.g. KazNERD) or brat (.txt+.ann): span mode",
    )  # fmt: skip
    score.add_argument(
        "--lang", choices=available_languages(), help="span mode: language of the corpus (default: detected)"
    )
    score.add_argument("--show", type=int, default=0, metavar="N", help="span mode: list N errors per kind")
    score.add_argument("--errors", metavar="FILE", help="span mode: write every error, grouped, to FILE")
    _add_tagger_options(score)
    score.set_defaults(run=_eval)


def _add_models_command(commands: argparse._SubParsersAction) -> None:
    models = commands.add_parser("models", help="list the Stanza models, or download the official ones")
    models.add_argument("action", nargs="?", choices=("list", "download"), default="list")
    models.add_argument("--models", help="the models folder (default: $DEREK_MODELS or the bundled set)")
    models.add_argument(
        "--lang", action="append", choices=available_languages(),
        help="language to fetch (repeatable; default: all in patterns/)",
    )
    models.set_defaults(run=_models)


def parser() -> argparse.ArgumentParser:
    top = DerekParser(prog="derek", description=__doc__)
    built = " (compiled)" if resources.build() == "compiled" else ""
    top.add_argument("--version", action="version", version=f"derek {resources.version()}{built}")
    commands = top.add_subparsers(dest="command", required=True)
    # one builder per command, in the order `derek --help` lists them
    _add_extract_command(commands)
    _add_explain_command(commands)
    _add_eval_command(commands)
    _add_store_commands(commands)
    _add_models_command(commands)
    add_examples(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except model_store.ModelsMissing as exc:
        print(f"derek {args.command}: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:  # Ctrl-C outside a run's own handling: no traceback
        print(f"\nderek {args.command}: stopped (Ctrl-C)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise  # the reader of the output left: console_main ends quietly
    except OSError as exc:  # a file that cannot be read or written: its name and why
        where = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        print(f"derek {args.command}: {printable(where)}", file=sys.stderr)
        return EXIT_PROBLEM


def console_main() -> None:
    """The `derek` command. Once torch is loaded, the interpreter's teardown takes about a
    second; by the time main returns every file is closed, so the process ends at once."""
    try:
        code = main()
        logging.shutdown()
        sys.stdout.flush()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        # `derek explain … | head -1`: the reader left. As Python's documentation of SIGPIPE
        # advises, the rest of the output goes to devnull so that no flush fails again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_PROBLEM
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
