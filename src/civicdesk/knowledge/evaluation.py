"""How well search finds the right article: top-1 accuracy, recall@5 and MRR@10 over a file of
(query, expected article) pairs, for the site search and, beside it, plain BM25.

The queries file is a CSV with a header naming a `query` column and an `external_id` column
(also accepted: `expected_external_id`, `expected`). Several acceptable articles (the same
question published twice) are separated by `|`. The site search runs over the published
articles of the current database, services left out; the baseline (`search.baseline`) indexes
the very same articles.
"""

import csv
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from civicdesk.knowledge.search import ARTICLE, search
from civicdesk.knowledge.search.baseline import PlainBM25
from civicdesk.knowledge.search.sources import article_documents
from civicdesk.knowledge.selectors import articles_published

QUERY_COLUMNS = ("query", "question")
EXPECTED_COLUMNS = ("external_id", "expected_external_id", "expected")
DEPTH = 10


class QueriesFileError(ValueError):
    """The queries file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class EvalQuery:
    line: int
    query: str
    expected: frozenset[str]


@dataclass(frozen=True)
class Metrics:
    queries: int
    top1: float
    recall5: float
    mrr10: float
    mean_ms: float


def queries_read(path: Path) -> list[EvalQuery]:
    """The (query, expected ids) pairs of a queries file, with their line numbers."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise QueriesFileError(f"{path}: {error.strerror or error}") from error
    with handle:
        reader = csv.DictReader(handle)
        names = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
        query_column = next((names[c] for c in QUERY_COLUMNS if c in names), None)
        expected_column = next((names[c] for c in EXPECTED_COLUMNS if c in names), None)
        if query_column is None or expected_column is None:
            raise QueriesFileError(
                f"{path}: the header must name a 'query' and an 'external_id' column"
            )
        found = []
        for row in reader:
            line = reader.line_num
            query = (row.get(query_column) or "").strip()
            expected = frozenset(
                part.strip() for part in (row.get(expected_column) or "").split("|") if part.strip()
            )
            if not query and not expected:
                continue
            if not query or not expected:
                raise QueriesFileError(
                    f"{path}, line {line}: a query and an external_id are needed"
                )
            found.append(EvalQuery(line, query, expected))
    if not found:
        raise QueriesFileError(f"{path}: no queries")
    return found


def measure(queries: Sequence[EvalQuery], ranker: Callable[[str], list[str]]) -> Metrics:
    """Run every query through `ranker` (query → external ids, best first) and score it."""
    top1 = recall5 = reciprocal = 0.0
    times = []
    for item in queries:
        started = time.perf_counter()
        ranked = ranker(item.query)[:DEPTH]
        times.append((time.perf_counter() - started) * 1000)
        ranks = [position for position, key in enumerate(ranked, start=1) if key in item.expected]
        if ranks:
            top1 += ranks[0] == 1
            recall5 += ranks[0] <= 5
            reciprocal += 1 / ranks[0]
    count = len(queries)
    return Metrics(
        queries=count,
        top1=top1 / count,
        recall5=recall5 / count,
        mrr10=reciprocal / count,
        mean_ms=statistics.fmean(times),
    )


def engine_ranker(language: str) -> Callable[[str], list[str]]:
    def ranked(query: str) -> list[str]:
        return [
            hit.external_id
            for hit in search(query, language=language, limit=DEPTH, kinds=(ARTICLE,))
        ]

    return ranked


def baseline_ranker(language: str) -> Callable[[str], list[str]]:
    documents = article_documents(articles_published())[language]
    index = PlainBM25(
        (document.external_id, " ".join([document.title, *document.questions, document.body]))
        for document in documents
    )

    def ranked(query: str) -> list[str]:
        return [key for key, _ in index.search(query, limit=DEPTH)]

    return ranked


def table(rows: Sequence[tuple[str, Metrics]]) -> list[str]:
    lines = [
        "| ranker | top-1 | recall@5 | MRR@10 | ms/query |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {m.top1:.3f} | {m.recall5:.3f} | {m.mrr10:.3f} | {m.mean_ms:.2f} |"
        for name, m in rows
    ]
    return lines


def evaluate_command(
    queries: Path, stdout: TextIO, *, limit: int | None, baseline: bool, language: str = "en"
) -> None:
    """`civicdesk kb evaluate --queries FILE [--limit N] [--baseline]`: print the table.

    `limit` evaluates only the file's first N queries.
    """
    items = queries_read(queries)
    if limit is not None:
        items = items[: max(0, limit)]
    if not items:
        raise QueriesFileError(f"{queries}: no queries")
    published = {article.external_id for article in articles_published() if article.external_id}
    missing = sum(1 for item in items if not item.expected & published)
    stdout.write(f"queries: {len(items)} from {queries}\n")
    stdout.write(f"published articles with an external id: {len(published)}\n")
    if missing:
        stdout.write(
            f"queries whose expected article is not published (counted as misses): {missing}\n"
        )
    engine = engine_ranker(language)
    engine(items[0].query)  # builds the index, so the timings are of searches alone
    rows = [("civicdesk search", measure(items, engine))]
    if baseline:
        rows.append(("plain BM25 (baseline)", measure(items, baseline_ranker(language))))
    stdout.write("\n".join(table(rows)) + "\n")
