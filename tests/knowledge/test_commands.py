"""`civicdesk kb stale` and `kb evaluate`'s hand-over to the search evaluation."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _stale(*args: str) -> str:
    out = io.StringIO()
    call_command("kb", "stale", *args, stdout=out)
    return out.getvalue()


def test_stale_articles_are_listed_by_owner(make_article, department, other_department):
    today = timezone.localdate()
    make_article(
        title="Old trash rules", department=department, review_by=today - timedelta(days=2)
    )
    make_article(title="Old park hours", department=other_department, review_by=today)
    make_article(title="Orphan", review_by=today - timedelta(days=400))
    make_article(title="Fresh", department=department, review_by=today + timedelta(days=1))

    everything = _stale()
    assert "Parks (parks): 1" in everything
    assert "Waste Reduction and Sanitation (sanitation): 1" in everything
    assert "No owner: 1" in everything
    assert "Fresh" not in everything
    assert everything.index("Parks") < everything.index("Waste") < everything.index("No owner")

    only_parks = _stale("--department", "parks")
    assert "Old park hours" in only_parks and "Old trash rules" not in only_parks
    only_sanitation = _stale("--department", "sanitation")
    assert "Old trash rules" in only_sanitation and "Fresh" not in only_sanitation


def test_stale_with_an_unknown_department():
    with pytest.raises(CommandError, match="No department with the code 'nope'"):
        _stale("--department", "nope")


def test_nothing_stale():
    assert _stale().strip() == "No article is past its review date."


def test_evaluate_reports_a_missing_queries_file(tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "kb", "evaluate", "--queries", str(tmp_path / "none.csv"), stdout=io.StringIO()
        )
