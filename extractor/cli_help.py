"""Help of the `derek` command: each option's default and each subcommand's examples."""

from __future__ import annotations

import argparse


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Each option's default after its help (unless the help says it); examples as written."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        shown = action.option_strings or action.nargs in ("?", "*")
        unset = any(action.default is v for v in (None, False, argparse.SUPPRESS))  # not 0
        if not shown or unset or "default" in text:
            return text
        return f"{text} (default: %(default)s)"


class DerekParser(argparse.ArgumentParser):
    """derek's parsers, subcommands included (add_subparsers makes them of this class)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


EXAMPLES = {
    "extract": ["derek extract corpus/ -o outputs/", "derek extract feed.jsonl page.html -o /tmp/out"],
    "explain": [
        'derek explain "$(cat article.txt)" --lang kk --published 2024-01-15',
        "derek explain --file article.html",
        "derek explain --file feed.jsonl --lang ru | less",
    ],
    "eval": [
        "derek eval gold.csv outputs/records.csv",
        "derek eval corpus/expected outputs/records.csv",
        "derek eval KazNERD/IOB2_valid.txt --format iob2 --show 5",
    ],
    "run": ["derek run /data/news/2026-11-21/ --store outputs/", "derek run feeds/*.jsonl --log-json"],
    "export": ["derek export --store outputs/ --format parquet", "derek export --format jsonl -o out.jsonl"],
    "models": ["derek models", "derek models download --lang kk --models /srv/models"],
}


def add_examples(commands: argparse._SubParsersAction) -> None:
    for name, command in commands.choices.items():
        if name in EXAMPLES and not command.epilog:
            command.epilog = "examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])
