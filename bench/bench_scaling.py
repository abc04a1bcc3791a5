"""Time and memory of one document against its size: every stage should grow linearly.

    python bench/bench_scaling.py [--sizes 1,10,100,1000,5000] [--no-newlines]

The text is corpus/ paragraphs repeated up to each size in KB (with --no-newlines, joined
by spaces into one endless line). Each size runs in a fresh process, so its peak memory is
its own; the table shows CPU seconds, microseconds per KB and peak RSS. Linear growth shows as
a flat µs/KB column.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from pathlib import Path
from extractor.api import extract_text
from extractor.reader import Article, input_files, read_file
size_kb, joiner, lang = int(sys.argv[1]), sys.argv[2], sys.argv[3]
from extractor.document import Document, lay_out
from extractor.langdata import load_language
paragraphs = []  # article paragraphs only: no titles, headers or furniture (end markers)
for path in input_files([sys.argv[4]]):
    for item in read_file(path):
        if isinstance(item, Article) and path.name.startswith(lang):
            doc = lay_out(Document(item.text, "x", "", lang), load_language(lang))
            paragraphs += [item.text[p.start : p.end] for p in doc.paragraphs[1:]]
parts, length = [], 0
while length < size_kb * 1024:
    for line in paragraphs:
        parts.append(line)
        length += len(line) + 1
        if length >= size_kb * 1024:
            break
text = joiner.join(parts)
extract_text("-", lang=lang, tagger="none")  # load the patterns outside the timing
started = time.process_time()  # CPU time: what the document costs, whatever else runs
records = extract_text(text, lang=lang, tagger="none")
seconds = time.process_time() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"kb": len(text) / 1024, "seconds": seconds, "records": len(records), "peak_mb": peak}))
"""


def measure(size_kb: int, joiner: str, lang: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(size_kb), joiner, lang, str(ROOT / "corpus")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1,10,100,1000,5000", help="sizes in KB, comma-separated")
    parser.add_argument("--no-newlines", action="store_true", help="one line: no paragraphs at all")
    parser.add_argument("--lang", default="ru")
    args = parser.parse_args()
    joiner = " " if args.no_newlines else "\n"
    print("| size | seconds | µs per KB | records | peak RSS |")
    print("|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, joiner, args.lang)
        per_kb = 1e6 * row["seconds"] / row["kb"]
        print(
            f"| {row['kb']:.0f} KB | {row['seconds']:.2f} | {per_kb:.0f} | {row['records']} "
            f"| {row['peak_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
