"""The nightly job at scale: `derek run` over N generated articles, per tagger.

    python bench/bench_nightly.py [--articles 2000] [--taggers none,stanza] [--workers 2]

Articles are made offline by recombining corpus/ articles of one language: a title and the
paragraphs of several articles, shuffled with a fixed seed. For each tagger and round it
times a first run into an empty store, then changes 1% of the files and times the
incremental re-run; it prints the medians over the rounds and the largest peak RSS of any
run's process (the pool's workers included) as a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.reader import Article, input_files, read_file  # noqa: E402


def corpus_articles(corpus: Path) -> dict[str, list[list[str]]]:
    """Paragraph lists of corpus/ articles, by language (from the file name's prefix)."""
    by_lang: dict[str, list[list[str]]] = {}
    for path in input_files([corpus]):
        for item in read_file(path):
            if isinstance(item, Article):
                lines = [line.strip() for line in item.text.splitlines() if line.strip()]
                by_lang.setdefault(path.name.split("_")[0], []).append(lines)
    return by_lang


def generate(folder: Path, count: int, corpus: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    by_lang = corpus_articles(corpus)
    languages = sorted(by_lang)
    paths = []
    for n in range(count):
        lang = languages[n % len(languages)]
        sources = rng.sample(by_lang[lang], k=min(3, len(by_lang[lang])))
        title = sources[0][0]
        body = [line for lines in sources for line in lines[1:]]
        rng.shuffle(body)
        path = folder / f"{lang}_{n:05d}.txt"
        path.write_text("\n".join([title, *body[:12]]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def derek_run(inputs: Path, store: Path, tagger: str, workers: int) -> float:
    command = [sys.executable, "-m", "extractor.cli", "run", str(inputs), "--store", str(store)]
    command += ["--tagger", tagger, "--workers", str(workers), "--no-progress"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def one_round(tagger: str, args: argparse.Namespace) -> tuple[float, float]:
    """(seconds of a first run into an empty store, seconds of a re-run with 1% changed)."""
    work = Path(tempfile.mkdtemp(prefix="derek-bench-"))
    try:
        inputs, store = work / "in", work / "store"
        inputs.mkdir()
        paths = generate(inputs, args.articles, args.corpus)
        first = derek_run(inputs, store, tagger, args.workers)
        for path in paths[::100]:  # 1% of the files change
            path.write_text(path.read_text(encoding="utf-8") + "Жаңа жол. Новая строка.\n", encoding="utf-8")
        return first, derek_run(inputs, store, tagger, args.workers)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--taggers", default="none,stanza")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--runs", type=int, default=3, help="rounds per tagger; medians are printed")
    args = parser.parse_args()
    print("| tagger | articles | first run s | articles/s | peak RSS MB | re-run, 1% changed, s | runs |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for tagger in args.taggers.split(","):
        runs = [one_round(tagger, args) for _ in range(args.runs)]
        first = statistics.median(r[0] for r in runs)
        again = statistics.median(r[1] for r in runs)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rate = args.articles / first
        cells = [
            tagger,
            args.articles,
            f"{first:.1f}",
            f"{rate:.0f}",
            f"{peak:.0f}",
            f"{again:.2f}",
            args.runs,
        ]
        print("| " + " | ".join(map(str, cells)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
