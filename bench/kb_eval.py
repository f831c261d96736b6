"""Search evaluation on real data: official COVID-19 FAQs and people's paraphrases of them.

    .venv/bin/python bench/kb_eval.py [--data DIR] [--ablation] [--semantic [--weights]]
        [--keep DIR]

Reads deepset's COVID-QA files from `/work/shared/data/faq-official` (or `--data`), outside the
repository (Apache-2.0; see the LICENSE file there):

- `faq_covidbert.csv`: 213 English FAQ entries of the CDC, WHO, ECDC, the German health
  ministry and two state health departments (question, answer, source link, category);
- `eval_question_similarity_en.csv`: pairs of an official question (`question_1`) and a
  question written by a person (`question_2`), labelled similar or not.

In a throwaway SQLite database (migrated in a temporary folder) it imports every FAQ entry as
an article through the knowledge import service (`article_import`, the same as
`civicdesk kb import`), with its source shown, then writes a queries file: each paraphrase
labelled similar (244) as a query, expecting the article whose official question is its
`question_1` (all of them when the same question was published twice, by two agencies). It
then prints `civicdesk kb evaluate --queries FILE --baseline`'s table, with the lexical site
search (semantic re-ranking off) beside plain BM25 over the same articles. `--ablation` adds a
row per part of the engine switched off, to show what each contributes. `--keep DIR` leaves
the articles and queries CSVs there.

`--semantic` (needs the `civicdesk[semantic]` extra) then prints, in one table, the lexical
site search, the site search with semantic re-ranking and plain BM25; the same three on two
halves of the queries, split by expected article so no article's paraphrases are in both (the
blend weight was chosen on the first half; the second is held out); how far the 0-1 score can
be trusted (the share of queries whose best result scores 0.5 or more and how often it is
right then, alone and with the assistant's 0.1 lead over the runner-up); and the model's load
and the semantic index's build times, cold and from the embedding cache. `--weights` adds the
sweep of blend weights the choice was made from (both halves, and the score's trust on the
first) and rows for each semantic part alone.

An official question longer than an article title may be (300 characters) is split at its
first question mark into the title and a question variant; one entry is.
"""

import argparse
import csv
import hashlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import semantic_builds

DEFAULT_DATA = Path("/work/shared/data/faq-official")
TITLE_LIMIT = 300
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# The assistant's thresholds (assistant.dialogue): answer at once from CONFIDENT with a lead.
CONFIDENT = 0.5
CLEAR_LEAD = 0.1


def articles_rows(data: Path) -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """Import rows for the English FAQ, and the external ids of each official question."""
    with (data / "faq_covidbert.csv").open(newline="", encoding="utf-8") as handle:
        entries = [row for row in csv.DictReader(handle) if row["lang"].strip() == "en"]
    rows = []
    by_question: dict[str, list[str]] = {}
    for number, entry in enumerate(entries, start=1):
        question = " ".join(entry["question"].split())
        external_id = f"covid-qa-{number:03d}"
        by_question.setdefault(question, []).append(external_id)
        title, variants = question, ""
        if len(question) > TITLE_LIMIT:
            head, _, tail = question.partition("? ")
            title, variants = f"{head}?", tail
        rows.append(
            {
                "external_id": external_id,
                "title": title,
                "questions": variants,
                "body": entry["answer"].strip(),
                "language": "en",
                "topic": entry["category"].strip(),
                "source_url": entry["link"].strip(),
                "source_name": entry["source"].strip(),
            }
        )
    return rows, by_question


def query_rows(data: Path, by_question: dict[str, list[str]]) -> list[dict[str, str]]:
    with (data / "eval_question_similarity_en.csv").open(newline="", encoding="utf-8") as handle:
        pairs = [row for row in csv.DictReader(handle) if row["similar"].strip() == "1"]
    rows = []
    for pair in pairs:
        expected = by_question.get(" ".join(pair["question_1"].split()))
        if expected is None:
            raise SystemExit(f"no FAQ entry has the official question {pair['question_1']!r}")
        rows.append({"query": pair["question_2"].strip(), "external_id": "|".join(expected)})
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@contextmanager
def patched(target: Any, **values: Any) -> Iterator[None]:
    saved = {name: getattr(target, name) for name in values}
    for name, value in values.items():
        setattr(target, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(target, name, value)


def ablations() -> list[tuple[str, Callable[[], Any]]]:
    """Each part of the engine switched off in turn (patched in this process only)."""
    from civicdesk.knowledge.search import analysis, engine, index, query, ranking

    def no_stemming() -> Any:
        return patched(
            analysis,
            _analyzers={},
            Analyzer=type(
                "Unstemmed", (analysis.Analyzer,), {"_stem": lambda self, word: analysis.fold(word)}
            ),
        )

    def no_stopwords() -> Any:
        return patched(analysis.Analyzer, is_stopword=lambda self, word: False)

    def no_synonyms() -> Any:
        return patched(engine, shipped_groups=lambda language: [], _staff_synonyms=tuple)

    def no_expansions() -> Any:
        return patched(query, _expansions=lambda *args, **kwargs: [], _compound=lambda *a: None)

    def no_field_weights() -> Any:
        return patched(index, FIELD_WEIGHTS=dict.fromkeys(index.FIELD_WEIGHTS, 1.0))

    def lexical_only() -> Any:
        return patched(ranking, LEXICAL_WEIGHT=1.0, SIMILARITY_WEIGHT=0.0, PHRASE_WEIGHT=0.0)

    def no_phrase() -> Any:
        return patched(ranking, PHRASE_WEIGHT=0.0)

    return [
        ("without stemming", no_stemming),
        ("without stop words", no_stopwords),
        ("without synonyms", no_synonyms),
        ("without typo/prefix/word-family/compound alternatives", no_expansions),
        ("without field weights (all fields 1)", no_field_weights),
        ("without question similarity and phrase parts (BM25F alone)", lexical_only),
        ("without the phrase part", no_phrase),
    ]


def halves(items: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """The queries split in two by a hash of their expected article: (choose on, held out)."""
    first, second = [], []
    for item in items:
        digest = hashlib.sha256(min(item.expected).encode()).digest()
        (first if digest[0] % 2 == 0 else second).append(item)
    return first, second


def confidence(items: Sequence[Any], language: str = "en") -> tuple[float, float, float, float]:
    """How far the score can be trusted: the share of queries whose best result scores
    CONFIDENT or more and how often it is right then; the same for the assistant's rule for
    answering at once (CONFIDENT and a lead of CLEAR_LEAD over the runner-up)."""
    from civicdesk.knowledge.search import ARTICLE, search

    confident = right = answered = answered_right = 0
    for item in items:
        hits = search(item.query, language=language, limit=2, kinds=(ARTICLE,))
        if not hits or hits[0].score < CONFIDENT:
            continue
        correct = hits[0].external_id in item.expected
        confident += 1
        right += correct
        if len(hits) == 1 or hits[0].score - hits[1].score >= CLEAR_LEAD:
            answered += 1
            answered_right += correct
    count = len(items)
    return (
        confident / count,
        right / confident if confident else 0.0,
        answered / count,
        answered_right / answered if answered else 0.0,
    )


def confidence_table(rows: Sequence[tuple[str, tuple[float, ...]]], what: str) -> list[str]:
    lines = [
        f"\n| {what} | score >= {CONFIDENT}: share | right | "
        f"with a lead >= {CLEAR_LEAD}: share | right |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {name} | " + " | ".join(f"{v:.1%}" for v in values) + " |" for name, values in rows
    ]
    return lines


def semantic_report(items: Sequence[Any], show_weights: bool) -> None:
    from django.test import override_settings

    from civicdesk.knowledge.evaluation import baseline_ranker, engine_ranker, measure, table
    from civicdesk.knowledge.search import embeddings, search_index_clear
    from civicdesk.knowledge.search.semantic import extra_missing

    missing = extra_missing()
    if missing:
        raise SystemExit(f"--semantic needs the civicdesk[semantic] extra; missing: {missing}")
    first, second = halves(items)

    builds = semantic_builds(lambda: engine_ranker("en")(items[0].query))
    print(
        f"\nsemantic: model loaded in {builds['load_s']:.1f} s; semantic index built in "
        f"{builds['cold_s']:.2f} s cold ({builds['embedded']} questions embedded), "
        f"{builds['file_s'] * 1000:.0f} ms from the embedding cache file"
    )
    with override_settings(CIVICDESK_SEARCH_SEMANTIC="on"):
        ranker = engine_ranker("en")
        semantic_rows = {
            "all": measure(items, ranker),
            "first": measure(first, ranker),
            "second": measure(second, ranker),
        }
        semantic_confidence = confidence(items)
        if show_weights:
            sweep = []
            calibration = []
            for weight in WEIGHTS:
                with patched(embeddings, SEMANTIC_WEIGHT=weight):
                    sweep.append((f"weight {weight:.1f}: first half", measure(first, ranker)))
                    sweep.append((f"weight {weight:.1f}: held-out half", measure(second, ranker)))
                    calibration.append((f"weight {weight:.1f}", confidence(first)))
            print(f"\nblend weight of the cosine (in use: {embeddings.SEMANTIC_WEIGHT}):")
            print("\n".join(table(sweep)))
            print("\n".join(confidence_table(calibration, "first half")))
            parts = []
            with patched(embeddings, NEIGHBOURS=0):
                parts.append(("re-ranking the lexical candidates only", measure(items, ranker)))
            with patched(embeddings, SEMANTIC_WEIGHT=1.0):
                parts.append(("cosine alone (no lexical score)", measure(items, ranker)))
            print("\nsemantic parts (all queries):")
            print("\n".join(table(parts)))
    with override_settings(CIVICDESK_SEARCH_SEMANTIC="off"):
        search_index_clear()
        lexical = engine_ranker("en")
        lexical(items[0].query)
        baseline = baseline_ranker("en")
        rows = [
            ("civicdesk search, lexical", measure(items, lexical)),
            ("civicdesk search + semantic re-ranking", semantic_rows["all"]),
            ("plain BM25 (baseline)", measure(items, baseline)),
        ]
        split = [
            (f"lexical, first half ({len(first)})", measure(first, lexical)),
            (f"semantic, first half ({len(first)})", semantic_rows["first"]),
            (f"BM25, first half ({len(first)})", measure(first, baseline)),
            (f"lexical, held-out half ({len(second)})", measure(second, lexical)),
            (f"semantic, held-out half ({len(second)})", semantic_rows["second"]),
            (f"BM25, held-out half ({len(second)})", measure(second, baseline)),
        ]
        lexical_confidence = confidence(items)
    print("\nwith semantic re-ranking, all queries:")
    print("\n".join(table(rows)))
    print("\nby half (the blend weight was chosen on the first):")
    print("\n".join(table(split)))
    rows = [("lexical", lexical_confidence), ("semantic", semantic_confidence)]
    print("\n".join(confidence_table(rows, "all queries")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--semantic", action="store_true")
    parser.add_argument("--weights", action="store_true", help="with --semantic: the sweep")
    parser.add_argument("--keep", type=Path)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="civicdesk-kb-eval-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{work / 'eval.sqlite3'}",
        DJANGO_SETTINGS_MODULE="civicdesk.settings",
        CIVICDESK_VAR_DIR=str(work / "var"),
        CIVICDESK_TASK_BACKEND="immediate",
        CIVICDESK_LOG_LEVEL="WARNING",
        CIVICDESK_SEARCH_SEMANTIC="off",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from civicdesk.knowledge.evaluation import (
        QueriesFileError,
        engine_ranker,
        evaluate_command,
        measure,
        queries_read,
        table,
    )
    from civicdesk.knowledge.importfile import import_file_read
    from civicdesk.knowledge.search import engine, search_index_clear
    from civicdesk.knowledge.services.imports import article_import

    call_command("migrate", interactive=False, verbosity=0)
    folder = options.keep or work
    folder.mkdir(parents=True, exist_ok=True)
    articles, by_question = articles_rows(options.data)
    articles_path, queries_path = folder / "covid-qa-articles.csv", folder / "covid-qa-queries.csv"
    write_csv(articles_path, articles)
    write_csv(queries_path, query_rows(options.data, by_question))
    report = article_import(file=import_file_read(articles_path), source_label="COVID-QA")
    print(f"imported: {report}")
    try:
        evaluate_command(queries_path, sys.stdout, limit=None, baseline=True)
    except QueriesFileError as error:
        raise SystemExit(str(error)) from error
    if options.ablation:
        items = queries_read(queries_path)
        rows = []
        for name, switch in ablations():
            with switch():
                search_index_clear()
                engine._synonyms.cache_clear()
                ranker = engine_ranker("en")
                ranker(items[0].query)  # builds the index outside the timings
                rows.append((name, measure(items, ranker)))
        search_index_clear()
        engine._synonyms.cache_clear()
        out = io.StringIO()
        out.write("\nablation (one part switched off at a time):\n")
        out.write("\n".join(table(rows)) + "\n")
        print(out.getvalue(), end="")
    if options.semantic:
        semantic_report(queries_read(queries_path), options.weights)
    print(f"files: {articles_path}, {queries_path}")


if __name__ == "__main__":
    main()
