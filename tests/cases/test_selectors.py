import datetime as dt

import pytest

from civicdesk.cases.choices import CaseStatus, CloseReason, NoteVisibility
from civicdesk.cases.selectors import case_get_by_reference, case_list, case_timeline
from civicdesk.cases.services.opening import Location
from civicdesk.cases.services.workflow import case_note_add, case_transition
from civicdesk.catalog.models import ServiceType
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(db):
    return Area.objects.create(
        kind=AreaKind.DISTRICT,
        code="d1",
        name="District 1",
        geometry={"type": "Polygon", "coordinates": []},
        min_long=-72,
        min_lat=42,
        max_long=-71,
        max_lat=43,
    )


def make_cases(make_case, district, count: int) -> None:
    for _ in range(count):
        make_case(location=Location(address="Main St", district=district))


def list_rows() -> list[tuple[str, str, str, str | None, str]]:
    return [
        (
            case.reference,
            case.service_type.name,
            case.department.name,
            case.district.name if case.district else None,
            case.status,
        )
        for case in case_list()
    ]


def test_list_query_count_is_fixed(make_case, district, django_assert_num_queries):
    make_cases(make_case, district, 3)
    with django_assert_num_queries(1):
        assert len(list_rows()) == 3
    make_cases(make_case, district, 27)
    with django_assert_num_queries(1):
        assert len(list_rows()) == 30


def test_list_filters(make_case, department, other_department, district):
    streetlight = ServiceType.objects.create(
        code="streetlight", name="Streetlight out", default_department=other_department
    )
    pothole = make_case(requested_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    light = make_case(
        service_type=streetlight,
        location=Location(district=district),
        requested_at=dt.datetime(2025, 3, 5, tzinfo=dt.UTC),
    )
    case_transition(case=light, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)

    assert list(case_list(status=CaseStatus.CLOSED)) == [light]
    assert list(case_list(status=[CaseStatus.NEW, CaseStatus.OPEN])) == [pothole]
    assert list(case_list(service_codes=["pothole"])) == [pothole]
    assert list(case_list(department=other_department)) == [light]
    assert list(case_list(district=district)) == [light]
    assert list(case_list(references=[f" {pothole.reference} "])) == [pothole]
    assert list(case_list(requested_from=dt.datetime(2025, 3, 2, tzinfo=dt.UTC))) == [light]
    assert list(case_list(requested_to=dt.datetime(2025, 3, 2, tzinfo=dt.UTC))) == [pothole]
    assert list(case_list()) == [light, pothole]  # newest first


def test_get_by_reference(case):
    assert case_get_by_reference(case.reference) == case
    assert case_get_by_reference(f"  {case.reference}\n") == case
    assert case_get_by_reference("99-999999") is None


def test_timeline(case):
    case_note_add(case=case, body="internal", visibility=NoteVisibility.INTERNAL)
    case_note_add(case=case, body="public", visibility=NoteVisibility.PUBLIC)
    full = case_timeline(case, public_only=False)
    public = case_timeline(case, public_only=True)
    assert [e.kind for e in full] == ["opened", "note_added", "note_added"]
    assert [e.public_text for e in public] == ["Request received.", "public"]
    assert [e.created_at for e in full] == sorted(e.created_at for e in full)
