"""Revisions tell per-process caches when the data behind them changed."""

import pytest
from django.db import transaction

from civicdesk.core.revisions import RevisionMemo, revision_bump, revision_get, revisions_get


@pytest.mark.django_db(transaction=True)
def test_a_bump_changes_the_revision_and_a_rolled_back_one_leaves_it():
    before = revision_get("catalog")
    revision_bump("catalog")
    after = revision_get("catalog")
    assert after != before

    with pytest.raises(RuntimeError), transaction.atomic():
        revision_bump("catalog")
        raise RuntimeError("roll back")
    assert revision_get("catalog") == after


@pytest.mark.django_db(transaction=True)
def test_an_unknown_name_reads_zero_until_its_first_bump():
    assert revisions_get(("nothing-yet", "catalog"))[0] == 0
    revision_bump("nothing-yet")
    assert revision_get("nothing-yet") != 0
    assert revisions_get(("nothing-yet",)) == (revision_get("nothing-yet"),)


@pytest.mark.django_db(transaction=True)
def test_a_memo_rebuilds_only_when_its_revision_moves():
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    memo = RevisionMemo("memo-test", build, check_seconds=lambda: 0.0)
    assert memo.get() == 1
    assert memo.get() == 1
    revision_bump("memo-test")
    assert memo.get() == 2
    assert len(builds) == 2


@pytest.mark.django_db(transaction=True)
def test_a_memo_trusts_its_copy_between_checks():
    builds: list[int] = []
    memo = RevisionMemo(
        "memo-test", lambda: builds.append(1) or len(builds), check_seconds=lambda: 60.0
    )
    assert memo.get() == 1
    revision_bump("memo-test")
    assert memo.get() == 1
    memo.clear()
    assert memo.get() == 2
