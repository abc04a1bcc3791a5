"""Articles per second and peak memory of `derek extract` on corpus/, per tagger.

    python bench/bench_taggers.py [--runs 5] [--repeat 10] [--python PATH]

Each run is a fresh process (so peak RSS is its own) that loads the tagger, extracts the
corpus `--repeat` times, and reports the time spent extracting, by the clock and in CPU time
(all its threads: on a machine shared with other work the clock also counts the time others
took, CPU time much less); model loading is reported apart. The medians over the runs are
printed as a Markdown table. Without --python the children run this interpreter on the
source tree; with it, that interpreter on the derek it has installed (`bash dev.sh compiled`
makes one with the compiled modules). The `build` column says which one ran: `python`, or
`compiled` where the pipeline is a compiled module.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from extractor.api import run_files
from extractor.resources import build
from extractor.reader import Article, input_files, read_file
from extractor.tagging import make_tagger
tagger_name, corpus, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
started = time.perf_counter()
tagger = make_tagger(tagger_name)
run_files([corpus], tagger)  # first pass loads the models of every language in the corpus
loaded = time.perf_counter() - started
articles = sum(1 for path in input_files([corpus]) for item in read_file(path) if isinstance(item, Article))
started, cpu_started = time.perf_counter(), time.process_time()
for _ in range(repeat):
    run_files([corpus], tagger)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"articles": articles * repeat, "seconds": seconds, "cpu": cpu, "load": loaded,
                  "peak_mb": peak_mb, "build": build()}))
"""


def one_run(tagger: str, corpus: Path, repeat: int, python: str | None) -> dict:
    # from the repository root the source tree is imported; from elsewhere, the installed derek
    out = subprocess.run(
        # abspath, not resolve(): a venv's python is a link, and resolved it leaves the venv
        [os.path.abspath(python or sys.executable), "-c", CHILD, tagger, str(corpus.resolve()), str(repeat)],
        cwd=ROOT if python is None else tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--taggers", default="none,stanza")
    parser.add_argument("--python", help="an interpreter with derek installed (default: the source tree)")
    args = parser.parse_args()
    columns = (
        "tagger", "build", "articles/s (median)", "per CPU second", "first-pass load s", "peak RSS MB",
        "runs",
    )  # fmt: skip
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    for tagger in args.taggers.split(","):
        results = [one_run(tagger, args.corpus, args.repeat, args.python) for _ in range(args.runs)]
        rate = statistics.median(r["articles"] / r["seconds"] for r in results)
        cpu_rate = statistics.median(r["articles"] / r["cpu"] for r in results)
        load = statistics.median(r["load"] for r in results)
        peak = statistics.median(r["peak_mb"] for r in results)
        build = "/".join(sorted({r["build"] for r in results}))
        print(f"| {tagger} | {build} | {rate:.1f} | {cpu_rate:.1f} | {load:.2f} | {peak:.0f} | {args.runs} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
