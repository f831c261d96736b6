"""Cut the demo's government FAQ sample from the shared JHU scraped FAQ bank.

A developer runs this once when the sample needs remaking; nothing at runtime reads the shared
folder (`civicdesk demo` loads the committed `state-gov-faq.json.gz`). The cut is deterministic
(sorted input, fixed seed, gzip timestamp pinned to zero), so a re-run writes the same bytes.

    .venv/bin/python src/civicdesk/demo/data/knowledge/make_state_gov_faq.py \
        [--shared /work/shared/data]
"""

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "state-gov-faq.json.gz"
SEED = 311
PER_SOURCE = 40
MIN_ANSWER, MAX_ANSWER = 80, 2500
# Government publishers only: the bank also holds newspapers' and hospitals' FAQs.
PUBLISHERS = {
    "North Dakota Stake Government": "State of North Dakota",
    "Vermont Department of Health": "Vermont Department of Health",
    "Kansas Department of Health and Enviroment": "Kansas Department of Health and Environment",
    "Oregon Public Health Division": "Oregon Public Health Division",
    "FloridaGov": "Florida Department of Health",
    "Texas Human Resources": "Texas Department of State Health Services",
    "Delaware State Government": "State of Delaware",
    "Hawaii State Government": "Hawaii State Department of Health",
    "Center for Disease Control and Prevention (CDC)": (
        "U.S. Centers for Disease Control and Prevention"
    ),
    "FDA": "U.S. Food and Drug Administration",
    "World Health Organization (WHO)": "World Health Organization",
    "Public Health Agency of Canada": "Public Health Agency of Canada",
}


def _clean(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _external_id(row: dict[str, str]) -> str:
    digest = hashlib.sha256(f"{row['sourceUrl']}\n{row['question']}".encode()).hexdigest()
    return f"state-gov-faq:{digest[:16]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    source = parser.parse_args().shared / "faq-state-gov" / "scraped.tsv"
    csv.field_size_limit(sys.maxsize)
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    by_source: dict[str, list[dict[str, str]]] = {}
    seen: set[str] = set()
    for row in rows:
        question = " ".join(row["question"].split())
        answer = _clean(row["answer"])
        key = question.casefold()
        if (
            row["language"] != "en"
            or row["sourceName"] not in PUBLISHERS
            or not MIN_ANSWER <= len(answer) <= MAX_ANSWER
            or len(question) > 300
            or key in seen
        ):
            continue
        seen.add(key)
        by_source.setdefault(row["sourceName"], []).append(
            {**row, "question": question, "answer": answer}
        )
    chosen: list[dict[str, str]] = []
    randomizer = random.Random(SEED)  # noqa: S311 - a reproducible sample, not a secret
    for name in sorted(by_source):
        candidates = sorted(by_source[name], key=lambda r: (r["sourceUrl"], r["question"]))
        chosen += randomizer.sample(candidates, min(PER_SOURCE, len(candidates)))
    chosen.sort(key=lambda r: (PUBLISHERS[r["sourceName"]], r["question"]))
    articles = [
        {
            "external_id": _external_id(row),
            "question": row["question"],
            "answer": row["answer"],
            "url": row["sourceUrl"],
            "source_name": PUBLISHERS[row["sourceName"]],
            "language": "en",
            "topic": "covid-19",
            "department": "public-health",
        }
        for row in chosen
    ]
    data = json.dumps(articles, ensure_ascii=False, indent=1).encode()
    OUTPUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{OUTPUT}: {len(articles)} articles from {len(by_source)} publishers")


if __name__ == "__main__":
    main()
