"""What residents see of the clock: the portal's "expected by" and Open311 expected_datetime
follow the due time a pause moved, and the portal says when the clock is on hold."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.public import public_datetime
from civicdesk.cases.services.workflow import case_transition

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def case(eight_hour_case):
    return eight_hour_case


def test_while_waiting_the_portal_says_the_clock_is_on_hold(client, case):
    case_transition(
        case=case, to_status=CaseStatus.WAITING, at=dt.datetime(2026, 6, 8, 10, tzinfo=NEW_YORK)
    )

    english = client.get("/track/", {"reference": case.reference}).content.decode()
    spanish = client.get(
        "/track/", {"reference": case.reference}, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()

    assert "Waiting for your reply" in english
    assert "On hold: we are waiting for your reply." in english
    assert 'data-sla="paused"' in english
    assert '<time datetime="2026-06-08T17:00' not in english
    assert "esperando su respuesta" in spanish


def test_after_the_reply_portal_and_open311_show_the_moved_due_time(client, case):
    case_transition(
        case=case, to_status=CaseStatus.WAITING, at=dt.datetime(2026, 6, 8, 10, tzinfo=NEW_YORK)
    )
    case_transition(
        case=case, to_status=CaseStatus.OPEN, at=dt.datetime(2026, 6, 9, 10, tzinfo=NEW_YORK)
    )
    moved = dt.datetime(2026, 6, 9, 17, 0, tzinfo=NEW_YORK)

    page = client.get("/track/", {"reference": case.reference}).content.decode()
    open311 = client.get(f"/open311/v2/requests/{case.reference}.json").json()

    assert 'data-sla="paused"' not in page
    assert "Expected by" in page
    assert f'<time datetime="{moved.isoformat()}"' in page
    assert open311[0]["expected_datetime"] == public_datetime(moved)
