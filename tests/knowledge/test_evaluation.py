"""`civicdesk kb evaluate`: reading the queries file, the three measures, the printed table."""

import io
import re
from pathlib import Path

import pytest

from civicdesk.knowledge.evaluation import (
    EvalQuery,
    QueriesFileError,
    evaluate_command,
    measure,
    queries_read,
)

from .test_search_fixtures import *  # noqa: F403 - the search fixtures


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "queries.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_queries_file_with_its_lines_and_several_acceptable_articles(tmp_path):
    path = _write(
        tmp_path,
        'Query,External_ID\n"when is trash day",city:trash-day\n\n'
        '"pay a ticket","city:parking-ticket | city:parking-ticket:es"\n',
    )

    assert queries_read(path) == [
        EvalQuery(2, "when is trash day", frozenset({"city:trash-day"})),
        EvalQuery(4, "pay a ticket", frozenset({"city:parking-ticket", "city:parking-ticket:es"})),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("q,id\nx,y\n", "must name a 'query' and an 'external_id' column"),
        ("query,external_id\nwhen,\n", "line 2: a query and an external_id are needed"),
        ("query,external_id\n", "no queries"),
    ],
)
def test_unusable_queries_files_say_why(tmp_path, text, message):
    with pytest.raises(QueriesFileError, match=re.escape(message)):
        queries_read(_write(tmp_path, text))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(QueriesFileError, match=r"nope\.csv"):
        queries_read(tmp_path / "nope.csv")


def test_top1_recall_at_5_and_mrr_at_10():
    queries = [
        EvalQuery(1, "first", frozenset({"a"})),  # rank 1
        EvalQuery(2, "third", frozenset({"a"})),  # rank 3
        EvalQuery(3, "seventh", frozenset({"a", "z"})),  # rank 7 (either id counts)
        EvalQuery(4, "missing", frozenset({"a"})),  # not in the first 10
    ]
    rankings = {
        "first": ["a", "b"],
        "third": ["b", "c", "a"],
        "seventh": ["b", "c", "d", "e", "f", "g", "z"],
        "missing": ["b"] * 10 + ["a"],
    }

    metrics = measure(queries, rankings.__getitem__)

    assert metrics.queries == 4
    assert metrics.top1 == pytest.approx(1 / 4)
    assert metrics.recall5 == pytest.approx(2 / 4)
    assert metrics.mrr10 == pytest.approx((1 + 1 / 3 + 1 / 7) / 4)


@pytest.mark.django_db
def test_the_command_prints_the_engine_beside_plain_bm25(tmp_path, city_kb, city_services):
    path = _write(
        tmp_path,
        "query,external_id\n"
        "garbage collection day,city:trash-day\n"
        "parkng tiket,city:parking-ticket\n"
        "where do I bring an old tv,city:e-waste\n"
        "rodents in the garden,city:rats\n"
        "opening times of the library,city:library-hours\n"
        "retired question,city:gone\n",
    )
    out = io.StringIO()

    evaluate_command(path, out, limit=None, baseline=True)

    text = out.getvalue()
    assert "queries: 6 from" in text
    assert "queries whose expected article is not published (counted as misses): 1" in text
    rows = {
        match.group(1): [float(value) for value in match.group(2, 3, 4)]
        for match in re.finditer(r"\| ([^|]+?) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|", text)
    }
    engine, bm25 = rows["civicdesk search"], rows["plain BM25 (baseline)"]
    # Typos, synonyms and word forms find what identical words alone do not.
    assert engine[0] > bm25[0]
    assert engine[2] > bm25[2]
    assert all(0 <= value <= 1 for value in engine + bm25)


@pytest.mark.django_db
def test_limit_evaluates_the_first_queries_only(tmp_path, city_kb):
    path = _write(
        tmp_path,
        "query,external_id\nrats,city:rats\nlibrary,city:library-hours\ntrash,city:trash-day\n",
    )
    out = io.StringIO()

    evaluate_command(path, out, limit=2, baseline=False)

    assert "queries: 2 from" in out.getvalue()
    assert "| civicdesk search | 1.000 | 1.000 | 1.000 |" in out.getvalue()
    assert "BM25" not in out.getvalue()
