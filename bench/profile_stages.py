"""Where the time of `--tagger none` goes: CPU milliseconds per article in each pipeline stage.

    python bench/profile_stages.py [--corpus corpus] [--repeat 5] [--cprofile N] [--installed]

The corpus is extracted once to warm the caches, then `--repeat` times with every stage
timed (CPU time, so other processes on the machine weigh little). "outside stages" is
reading files, detecting the language and making records' rows. With --cprofile N the
N functions of most own time are listed too.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "--installed" not in sys.argv:  # the source tree; with --installed, the derek installed here
    sys.path.insert(0, str(ROOT))

from extractor import pipeline  # noqa: E402
from extractor.api import run_files  # noqa: E402
from extractor.reader import Article, input_files, read_file  # noqa: E402
from extractor.resources import build  # noqa: E402
from extractor.tagging import make_tagger  # noqa: E402


def timed_stages(spent: dict[str, float]) -> tuple[pipeline.Stage, ...]:
    def wrap(stage: pipeline.Stage) -> pipeline.Stage:
        def run(ctx: pipeline.Context) -> None:
            started = time.process_time()
            stage.run(ctx)
            spent[stage.name] += time.process_time() - started

        return pipeline.Stage(stage.name, stage.requires, stage.provides, run)

    return tuple(wrap(stage) for stage in pipeline.STAGES)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--installed", action="store_true", help="profile the installed derek")
    args = parser.parse_args()
    tagger = make_tagger("none")
    articles = sum(1 for p in input_files([args.corpus]) for a in read_file(p) if isinstance(a, Article))
    run_files([args.corpus], tagger)  # warm: patterns loaded, caches filled
    spent: dict[str, float] = defaultdict(float)
    # the pipeline's stages, swapped for timed ones (run_document reads them at each call)
    stages = pipeline.STAGES
    pipeline.STAGES = timed_stages(spent)
    try:
        started = time.process_time()
        for _ in range(args.repeat):
            run_files([args.corpus], tagger)
        total = time.process_time() - started
    finally:
        pipeline.STAGES = stages
    count = articles * args.repeat
    rate, each = count / total, 1000 * total / count
    print(f"{articles} articles x {args.repeat}, {build()} build: ", end="")
    print(f"{rate:.0f} articles/s of CPU time, {each:.2f} ms each")
    print("| stage | ms per article | share |\n|---|---:|---:|")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {1000 * seconds / count:.2f} | {seconds / total:.0%} |")
    rest = total - sum(spent.values())
    print(f"| outside stages | {1000 * rest / count:.2f} | {rest / total:.0%} |")
    if args.cprofile:
        profile = cProfile.Profile()
        profile.runcall(run_files, [args.corpus], tagger)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
