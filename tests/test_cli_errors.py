"""The `derek` command meets bad arguments, closed pipes, Ctrl-C and hostile text without a
traceback; `explain --file` reads files as `extract` does and marks each figure in its sentence."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.api import extract_text
from extractor.cli import main
from extractor.cli_help import EXAMPLES
from extractor.explain import marked_sentence

from .conftest import CORPUS

KK = "2023 жылы облыста 84,2 мың адам атаулы әлеуметтік көмек алды."
RU = "В 2023 году в Карагандинской области 48 300 жителей получили пособие на 3,1 млрд тенге."
DEREK = [sys.executable, "-m", "extractor.cli"]
ROOT = Path(__file__).resolve().parent.parent


def _derek(*args: str, **kwargs) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [*DEREK, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs
    )


def test_explain_of_a_missing_file_says_so(capsys) -> None:
    assert main(["explain", "--file", "no/such/article.txt"]) == 2
    err = capsys.readouterr().err
    assert "no such file or folder: no/such/article.txt" in err and "Traceback" not in err


def test_an_unknown_language_names_those_that_exist(capsys) -> None:
    for argv in (["explain", KK, "--lang", "xx"], ["eval", "gold.txt", "--format", "iob2", "--lang", "xx"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
        assert "invalid choice: 'xx' (choose from 'kk', 'ru')" in capsys.readouterr().err


def test_an_unwritable_output_folder_stops_before_the_work(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["extract", str(CORPUS / "kk_abai_granttar.txt"), "-o", str(blocker / "out")]) == 2
    captured = capsys.readouterr()
    assert f"derek extract: cannot write to {blocker / 'out'}:" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_a_file_that_cannot_be_written_is_named_not_traced(tmp_path: Path, capsys) -> None:
    gold = tmp_path / "gold.txt"
    gold.write_text("Облыста\tO\n5\tB-CARDINAL\nадам\tO\n", encoding="utf-8")
    errors = tmp_path / "a_file" / "errors.txt"
    (tmp_path / "a_file").write_text("", encoding="utf-8")
    assert main(["eval", str(gold), "--format", "iob2", "--lang", "kk", "--errors", str(errors)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("derek eval: ") and str(errors) in err and "Traceback" not in err


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    article = tmp_path / "long.txt"  # far more output than a pipe holds
    lines = [f"Облыста {n} мың адам көмек алды." for n in range(1, 800)]
    article.write_text("\n".join(lines), encoding="utf-8")
    proc = _derek("explain", "--file", str(article), "--lang", "kk")
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().decode().startswith("== long:")  # `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert "BrokenPipeError" not in err and "Traceback" not in err and "Exception ignored" not in err, err


SLOW = """
import signal, sys, time
import extractor.cli, extractor.explain

# Ctrl-C as a terminal delivers it, also where the tests run in a background job (which ignores SIGINT)
signal.signal(signal.SIGINT, signal.default_int_handler)

def slow(*args, **kwargs):
    print("working", file=sys.stderr, flush=True)
    time.sleep(60)

extractor.cli.run_files = slow
extractor.explain.extract_text = slow
sys.argv = ["derek", *sys.argv[1:]]
extractor.cli.console_main()
"""


@pytest.mark.parametrize("command", [["extract", "corpus/kk_abai_granttar.txt"], ["explain", KK]])
def test_ctrl_c_exits_130_without_a_traceback(command: list[str], tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW, *command, *(["-o", str(tmp_path)] if command[0] == "extract" else [])],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stderr is not None and proc.stderr.readline().strip() == "working"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert f"derek {command[0]}: stopped (Ctrl-C)" in err and "Traceback" not in err, err


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_help_shows_defaults_and_examples(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "examples:\n  derek " + command in out
    assert "default" in out


def test_help_names_the_defaults_of_options() -> None:
    from extractor.cli import parser

    helps = {name: sub.format_help() for name, sub in parser()._subparsers._group_actions[0].choices.items()}
    assert "output folder (default: outputs)" in " ".join(helps["extract"].split())
    assert "folder of the store (default: outputs)" in " ".join(helps["export"].split())
    assert "list N errors per kind (default: 0)" in " ".join(helps["eval"].split())


def test_explain_file_reads_cp1251_like_extract(tmp_path: Path, capsys) -> None:
    article = tmp_path / "karaganda.txt"
    article.write_bytes(RU.encode("cp1251"))  # not UTF-8: read as raw UTF-8 it was an error
    assert main(["explain", "--file", str(article)]) == 0
    out = capsys.readouterr().out
    assert "value 48300 person" in out and "region KZ-35" in out and "«Карагандинской области»" in out


def test_explain_file_reads_the_article_of_a_page(tmp_path: Path, capsys) -> None:
    page = tmp_path / "page.html"
    second = "Бұл көрсеткіш өткен жылмен салыстырғанда біршама төмен болды."
    body = "".join(f"<p>{s}</p>" for s in [KK, second])
    page.write_text(f"<html><head><title>Жаңалық</title></head><body><nav>Басты</nav><article>{body}"
                    "</article></body></html>", encoding="utf-8")  # fmt: skip
    assert main(["explain", "--file", str(page), "--lang", "kk"]) == 0
    out = capsys.readouterr().out
    assert "value 84200 person" in out and "<p>" not in out and "<html" not in out


def test_explain_of_a_feed_shows_each_item(tmp_path: Path, capsys) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "kk-1", "text": KK, "lang": "kk", "published": "2024-01-15"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "ru-2", "text": RU, "lang": "ru"}, ensure_ascii=False),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["explain", "--file", str(feed)]) == 0
    captured = capsys.readouterr()
    headings = [line for line in captured.out.splitlines() if line.startswith("== ")]
    assert headings == [f"== kk-1: {feed}:1", f"== ru-2: {feed}:3"]
    assert "value 84200 person" in captured.out and "value 48300 person" in captured.out
    assert "line 2: malformed JSON" in captured.err


def test_explain_of_an_unreadable_file_says_why_and_fails(tmp_path: Path, capsys) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    assert main(["explain", "--file", str(binary)]) == 1
    assert "binary file: not text" in capsys.readouterr().err


def test_explain_marks_the_figure_in_its_sentence(capsys) -> None:
    assert main(["explain", KK, "--lang", "kk", "--tagger", "none"]) == 0
    out = capsys.readouterr().out
    assert "  sentence: 2023 жылы облыста »84,2 мың адам« атаулы әлеуметтік көмек алды." in out
    (record,) = extract_text("Бірінші сөйлем. " + KK, lang="kk", tagger="none")
    underlined = marked_sentence(record, "Бірінші сөйлем. " + KK, underline=True)
    assert underlined == KK.replace("84,2 мың адам", "\x1b[4m84,2 мың адам\x1b[0m")


def test_explain_underlines_only_on_a_terminal() -> None:
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*DEREK, "explain", KK, "--lang", "kk"], cwd=ROOT, stdout=follower,
                            stderr=subprocess.PIPE)  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    assert "облыста \x1b[4m84,2 мың адам\x1b[0m атаулы" in shown.decode() and "»84" not in shown.decode()


def test_escape_codes_from_input_are_shown_escaped(tmp_path: Path, capsys) -> None:
    text = "Облыста 5 мың адам \x1b[2J\x1b]0;owned\x07көмек алды \u202eтеріс\u202c, \udcff."
    assert main(["explain", text, "--lang", "kk"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b[2J\\x1b]0;owned\\x07" in out
    assert "\\u202e" in out and "\\udcff" in out
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty\x1b[31m.txt").write_text("", encoding="utf-8")
    assert main(["extract", str(folder), "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "empty\\x1b[31m.txt: empty file" in out and "\x1b" not in out


def test_eval_of_files_that_are_not_records_or_gold_says_which(tmp_path: Path, capsys) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["eval", str(CORPUS / "expected"), str(other)]) == 2
    assert "not a records.csv written by derek (it lacks doc_id" in capsys.readouterr().err
    assert main(["eval", str(other), str(other)]) == 2
    assert "gold lacks columns" in capsys.readouterr().err
    records = tmp_path / "records.csv"
    records.write_text("doc_id,title,sentence,value,unit,region_code,year,indicator,status\nx,,,abc,KZT,,,,\n",
                       encoding="utf-8")  # fmt: skip
    assert main(["eval", str(CORPUS / "expected"), str(records)]) == 2
    err = capsys.readouterr().err
    assert f"{records}: column value:" in err and "Traceback" not in err
