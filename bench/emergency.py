"""Emergency detection speed, and what it flags in real 311 descriptions.

    .venv/bin/python bench/emergency.py [--sample 20000] [--show 40] [--seed 311]

Reads resident descriptions from the Boston Open311 capture in ../shared/data/boston-open311
(outside the repository; the tests never read it), takes a seeded random sample, and runs
`civicdesk.assistant.emergency.detect` on each:

- per-call latency p50/p99/max and calls/s, beside a reference measured on the same texts in
  the same process (one precompiled keyword regex, `\\b(fire|gas)\\b`), so the ratio stays
  comparable on a shared machine;
- how many descriptions it flags, by category, and a random sample of the flagged ones to read
  by eye: these are non-emergency 311 reports, but some really describe danger now ("smell of
  gas", "wires down"), so flagged is not the same as wrong.

Needs no database.
"""

import csv
import gzip
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _harness import machine

DATA = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "boston-open311"
    / "boston_open311_2008_2017.csv.gz"
)


def option(name: str, default: int) -> int:
    if name in sys.argv:
        return int(sys.argv[sys.argv.index(name) + 1])
    return default


def descriptions(sample: int, seed: int) -> list[str]:
    with gzip.open(DATA, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        texts = [row["description"] for row in csv.DictReader(handle) if row["description"]]
    random.Random(seed).shuffle(texts)
    return texts[:sample]


def timed(call, texts: list[str]) -> list[float]:
    for text in texts[:200]:
        call(text)
    timings = []
    for text in texts:
        started = time.perf_counter()
        call(text)
        timings.append((time.perf_counter() - started) * 1e6)
    return sorted(timings)


def summary(timings: list[float]) -> str:
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    per_second = len(timings) / (sum(timings) / 1e6)
    return (
        f"p50 {statistics.median(timings):7.1f} µs  p99 {p99:7.1f} µs  "
        f"max {timings[-1]:8.1f} µs  {per_second:10,.0f} calls/s"
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    import django

    django.setup()
    from civicdesk.assistant.emergency import detect, warm_up

    sample, show, seed = option("--sample", 20_000), option("--show", 40), option("--seed", 311)
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: this benchmark reads the shared Boston Open311 capture.")
    texts = descriptions(sample, seed)
    warm_up()
    keyword = re.compile(r"\b(fire|gas)\b", re.IGNORECASE)

    print(f"machine: {machine()}")
    print(
        f"{len(texts):,} Boston 311 descriptions, mean {statistics.mean(map(len, texts)):.0f} chars"
    )
    print(f"detect          {summary(timed(detect, texts))}")
    print(f"reference regex {summary(timed(keyword.search, texts))}")

    findings = [(text, detect(text)) for text in texts]
    flagged = [(text, finding) for text, finding in findings if finding.is_emergency]
    share = len(flagged) / len(texts)
    print(f"flagged: {len(flagged):,} of {len(texts):,} ({share:.2%})")
    for category, count in Counter(f.category for _, f in flagged).most_common():
        print(f"  {category}: {count}")
    print(f"a random sample of {min(show, len(flagged))} flagged descriptions:")
    for text, finding in random.Random(seed).sample(flagged, min(show, len(flagged))):
        evidence = "; ".join(f"{item.rule} {item.text!r}" for item in finding.evidence[:2])
        print(f"  [{finding.category}] {' '.join(text.split())[:150]}  <- {evidence}")


if __name__ == "__main__":
    main()
