"""The cost of a nightly re-run: `derek run` over N generated articles, then again with 1% changed.

    python bench/bench_rerun.py [--articles 20000] [--workers 2] [--changed 0.01] [--keep DIR]

Articles are written from a few Kazakh and Russian sentence templates of this script's own
(regions, years and numbers vary with a fixed seed; nothing is copied from corpus/). It runs
`derek run` into an empty store, appends a sentence with a new figure to 1% of the files,
runs again, and prints the seconds and the peak RSS of each run (the pool's workers
included), measured in a child process of its own so the first run's peak does not count.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (Russian prepositional/genitive form, Kazakh base name): regions both pattern sets know
REGIONS = (
    ("Костанайской области", "Қостанай облысы"),
    ("Павлодарской области", "Павлодар облысы"),
    ("Жамбылской области", "Жамбыл облысы"),
    ("Акмолинской области", "Ақмола облысы"),
    ("Карагандинской области", "Қарағанды облысы"),
    ("Актюбинской области", "Ақтөбе облысы"),
    ("Атырауской области", "Атырау облысы"),
    ("Мангистауской области", "Маңғыстау облысы"),
)
RU_TITLES = ("В {reg} подвели итоги {year} года", "Социальная помощь в {reg}: цифры {year} года")
RU_SENTENCES = (
    "В {year} году в {reg} адресную социальную помощь получили {n1} человек из {n2} семей.",
    "На выплаты из местного бюджета направлено {m1},{d1} млрд тенге.",
    "По сравнению с {prev} годом число получателей уменьшилось на {n3} человека, или на {d2},{d1}%.",
    "Уровень бедности в регионе составил {d2},{d3}%.",
    "К мерам содействия занятости привлечены {n4} человек, из них {n5} трудоустроены на постоянную работу.",
    "В следующем году планируется создать {n6} рабочих мест.",
    "Прожиточный минимум в {reg} установлен в размере {n7} тенге.",
    "Гранты на открытие своего дела получили {n8} человек на сумму {m1},{d3} млрд тенге.",
)
KK_TITLES = ("{reg} {year} жылдың қорытындысы шығарылды", "{reg}: атаулы көмек {year} жылы")
KK_SENTENCES = (
    "{year} жылы {reg}нда {n1} адам атаулы әлеуметтік көмек алды.",
    "Көмек {n2} отбасына тағайындалып, оларға жергілікті бюджеттен {m1},{d1} млрд теңге төленген.",
    "{prev} жылмен салыстырғанда алушылар саны {n3} адамға немесе {d2},{d1}%-ға азайды.",
    "Облыста кедейлік деңгейі {d2},{d3}%-ды құрады.",
    "Жұмыспен қамтудың белсенді шараларына {n4} адам тартылды.",
    "Биыл облыста ең төменгі күнкөріс деңгейі {n7} теңге болып белгіленді.",
    "Келесі жылы {n6} жұмыс орнын ашу жоспарланған.",
    "Мемлекеттік грант {n8} адамға берілді.",
)


def _figures(rng: random.Random) -> dict[str, object]:
    year = rng.randint(2019, 2025)
    return {
        "year": year,
        "prev": year - 1,
        **{f"n{k}": f"{rng.randint(1, 99)} {rng.randint(100, 999)}" for k in range(1, 9)},
        **{f"m{k}": rng.randint(1, 9) for k in range(1, 3)},
        **{f"d{k}": rng.randint(1, 9) for k in range(1, 4)},
    }


def article(n: int, rng: random.Random) -> tuple[str, str]:
    """(language, text): a date line, a title and a body of shuffled template sentences."""
    lang = ("ru", "kk")[n % 2]
    ru_region, kk_region = rng.choice(REGIONS)
    titles, sentences = (RU_TITLES, RU_SENTENCES) if lang == "ru" else (KK_TITLES, KK_SENTENCES)
    values = _figures(rng) | {"reg": ru_region if lang == "ru" else kk_region}
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    lines = [f"date {values['year'] + 1}-{month:02d}-{day:02d}", rng.choice(titles).format(**values)]
    for _ in range(2):  # two sections, each with figures of its own
        body = rng.sample(sentences, k=rng.randint(5, len(sentences)))
        lines += [" ".join(s.format(**values) for s in body[i : i + 2]) for i in range(0, len(body), 2)]
        values |= _figures(rng) | {"year": values["year"], "prev": values["prev"]}
    return lang, "\n\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        lang, text = article(n, rng)
        path = folder / f"{lang}_{n:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def change(paths: list[Path], share: float, seed: int = 12) -> int:
    """Append a sentence with a new figure to `share` of the files; how many changed."""
    rng = random.Random(seed)
    chosen = rng.sample(paths, k=max(1, round(len(paths) * share)))
    for path in chosen:
        extra = f"Кроме того, {rng.randint(100, 999)} семей получили жилье.\n"
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return len(chosen)


def measured(command: list[str]) -> dict[str, float]:
    """Seconds and peak RSS (MB) of one command, its descendants included, in a fresh child."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "s = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': s, 'peak_mb': peak, 'rc': done.returncode, 'out': done.stdout}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"derek run failed ({result['rc']}): {' '.join(command)}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--changed", type=float, default=0.01, help="share of the files changed")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="derek-rerun-"))
    try:
        inputs, store = work / "in", work / "store"
        inputs.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        paths = generate(inputs, args.articles)
        print(f"generated {len(paths)} articles in {time.perf_counter() - started:.1f} s", flush=True)
        command = [sys.executable, "-m", "extractor.cli", "run", str(inputs), "--store", str(store)]
        command += ["--tagger", "none", "--workers", str(args.workers), "--no-progress"]
        first = measured(command)
        print(f"first run: {first['seconds']:.1f} s, peak {first['peak_mb']:.0f} MB: {first['out'].strip()}")
        changed = change(paths, args.changed)
        again = measured(command)
        print(
            f"re-run, {changed} files changed: {again['seconds']:.2f} s, peak {again['peak_mb']:.0f} MB: "
            f"{again['out'].strip()}"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
