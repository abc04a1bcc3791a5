"""Fuzzing the engine: random texts through extract_text, checking the record invariants.

    python bench/fuzz.py [--n 100000] [--seed 0] [--show 5] [--installed]

Texts mix Kazakh and Russian words, digits of many scripts, separators, units, months,
scale words, header lines, control characters, lone surrogates and very long digit runs.
Each text goes through `extract_text` in kk and ru with `tagger="none"`. The invariants:
no exception; every value and value_max finite; 0 <= char_start < char_end <= len(text);
`text[char_start:char_end] == value_text`; year empty or within 1990..2100. Prints the
counts and exits 1 when any invariant broke (the first few cases are printed to stderr).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path and "--installed" not in sys.argv:  # --installed: the derek installed here
    sys.path.insert(0, str(ROOT))

from extractor.api import extract_text  # noqa: E402
from extractor.record import Record  # noqa: E402
from extractor.resources import build  # noqa: E402

LANGS = ("kk", "ru")
FIRST_YEAR, LAST_YEAR = 1990, 2100
LETTERS = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяАӘБВГҒДЕЖЗИКҚЛМНҢОӨПРСТУҰҮФХҺЧШЫІЭЮЯ"
WORDS = (
    "млн", "млрд", "мың", "миллион", "миллиард", "тысяч", "тыс.", "трлн", "тенге", "теңге",
    "доллар", "%", "пайыз", "процент", "адам", "человек", "жыл", "жылы", "жылғы", "год", "году",
    "г.", "ж.", "қаңтар", "январь", "мая", "желтоқсан", "декабря", "облысы", "области",
    "Алматы", "Астана", "Жамбыл", "Қарағанды", "ауданы", "бір", "екі", "үш", "жүз", "сто",
    "двести", "жарым", "полторы", "целых", "десятых", "бүтін", "оннан", "де", "дейін", "до",
    "от", "дан", "биыл", "келесі жылы", "былтыр", "в следующем году", "в прошлом году",
    "-тен", "-ға", "-і", "бюджет", "көмек", "пособие", "рост", "өсті", "снизилось",
    "date", "дата:", "published", "күні", "№", "тел.", "+7", "(", ")", "«", "»", "—", "–",
)  # fmt: skip
NUMBER_WORDS = ("жүз", "мың", "млн", "миллиард", "сто", "тысяч", "бір", "он", "жарым", "бүтін",
                "оннан", "целых", "десятых", "полторы")  # fmt: skip
YEAR_WORDS = ("жылы", "жылғы", "жылмен салыстырғанда", "ж.", "году", "года", "г.", "годом")
SEPARATORS = (" ", " ", " ", "\u00a0", "\u202f", "\u2009", ",", ".", ", ", ". ", "-", "–",
              "/", ":", "\n", "\n\n", "\t", "\r\n", "; ")  # fmt: skip
CONTROLS = ("\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1b[31m", "\x1f", "\x7f", "\x85",
            "\u200b", "\u200e", "\u2028", "\u2029", "\ufeff", "\ufffd", "\ud800", "\udfff",
            "\U0001f600", "\u0301")  # fmt: skip


def decimal_digits() -> list[str]:
    """Every character `\\d` matches, in the regex module's Unicode (newer than some Pythons')."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    return regex.findall(r"\p{Nd}", every)


# The zero of each decimal-digit block, from ASCII to Nag Mundari: its digits follow it.
DIGIT_ZEROS = tuple(ord(c) for c in decimal_digits() if regex.match(r"\p{Numeric_Value=0}", c))


def digit_run(rng: random.Random) -> str:
    """A number as news write it, in one or more scripts, sometimes absurdly long."""
    length = rng.choice((1, 2, 3, 4, 4, 6, 9, 15, 16, 20, 40, 309, 400))
    digits = "".join(rng.choice("0123456789") for _ in range(length))
    if rng.random() < 0.2:
        zero = rng.choice(DIGIT_ZEROS)
        digits = "".join(chr(zero + int(d)) if rng.random() < 0.7 else d for d in digits)
    if rng.random() < 0.3 and length > 3:  # thousands groups or a decimal part
        sep = rng.choice((" ", "\u00a0", ".", ",", "\u202f"))
        cut = rng.randrange(1, length)
        digits = digits[:cut] + sep + digits[cut:]
    if rng.random() < 0.1:
        digits = f"{rng.randint(1990, 2100) if rng.random() < 0.7 else rng.randint(0, 9999)}"
    return digits


def header(rng: random.Random) -> str:
    year = rng.choice((rng.randint(0, 9999), rng.randint(1985, 2105), 7738))
    return f"date {year:04d}-{rng.randint(0, 13):02d}-{rng.randint(0, 32):02d}\n"


def word_run(rng: random.Random) -> str:
    """Number or scale words repeated («жүз жүз жүз …»): products that could overflow."""
    word = rng.choice(NUMBER_WORDS)
    return rng.choice((" ", "-", "")).join([word] * rng.choice((2, 3, 10, 200)))


def piece(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return word_run(rng)
    if roll < 0.08:  # a year phrase, plausible or not
        return f"{rng.randint(1900, 2199)} {rng.choice(YEAR_WORDS)}"
    if roll < 0.3:
        return digit_run(rng)
    if roll < 0.6:
        return rng.choice(WORDS)
    if roll < 0.8:
        return "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 9)))
    if roll < 0.9:
        return rng.choice(CONTROLS)
    return chr(rng.randint(1, 0x10FFFF))


def random_text(rng: random.Random) -> str:
    parts = [header(rng)] if rng.random() < 0.2 else []
    for _ in range(rng.randint(0, 40)):
        parts.append(piece(rng))
        parts.append(rng.choice(SEPARATORS))
    return "".join(parts)


def violations(text: str, records: list[Record]) -> list[str]:
    """What is wrong with the records of a text (nothing, when the invariants hold)."""
    found = []
    for r in records:
        if not math.isfinite(r.value) or (r.value_max is not None and not math.isfinite(r.value_max)):
            found.append(f"non-finite: value {r.value!r}, value_max {r.value_max!r}")
        if not 0 <= r.char_start < r.char_end <= len(text):
            found.append(f"span: [{r.char_start}:{r.char_end}] outside 0..{len(text)}")
        elif text[r.char_start : r.char_end] != r.value_text:
            found.append(f"span: [{r.char_start}:{r.char_end}] is not value_text {r.value_text!r}")
        if r.year is not None and not FIRST_YEAR <= r.year <= LAST_YEAR:
            found.append(f"year: {r.year}")
    return found


def check(text: str, lang: str) -> list[str]:
    """The invariant violations of one text in one language; a crash is one too."""
    try:
        records = extract_text(text, lang=lang, tagger="none")
    except Exception:
        return ["crash: " + traceback.format_exc(limit=-3).strip().replace("\n", " | ")]
    return violations(text, records)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--n", type=int, default=100_000, help="texts to try (default 100000)")
    options.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    options.add_argument("--show", type=int, default=5, help="failing cases to print (default 5)")
    options.add_argument("--installed", action="store_true", help="fuzz the derek installed here")
    args = options.parse_args(argv)
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for _ in range(args.n):
        text = random_text(rng)
        lang = rng.choice(LANGS)
        counts["inputs"] += 1
        problems = check(text, lang)
        for kind in {p.split(":")[0] for p in problems}:
            counts[kind] += 1
        if problems and counts["shown"] < args.show:
            counts["shown"] += 1
            print(f"{lang} {text!r}\n  " + "\n  ".join(problems), file=sys.stderr)
    seconds = time.perf_counter() - started
    print(
        f"inputs {counts['inputs']}, crashes {counts['crash']}, non-finite values "
        f"{counts['non-finite']}, span violations {counts['span']}, years out of range "
        f"{counts['year']} ({seconds:.0f} s, seed {args.seed}, {build()} build)"
    )
    return 1 if counts["crash"] + counts["non-finite"] + counts["span"] + counts["year"] else 0


if __name__ == "__main__":
    sys.exit(main())
