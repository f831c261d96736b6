"""Which open requests are offered as duplicates of a new report, and in what order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, CloseReason
from civicdesk.cases.duplicates import duplicate_candidates, text_similarities
from civicdesk.cases.services.merging import case_merge
from civicdesk.cases.services.opening import Location
from civicdesk.cases.services.workflow import case_transition
from civicdesk.catalog.models import ServiceType

pytestmark = pytest.mark.django_db

LAT, LONG = 42.3601, -71.0589
# One metre of latitude, in degrees.
METRE = 1 / 111_195


def at(make_case, north_metres: float = 0.0, east_metres: float = 0.0, **overrides):
    east = east_metres * METRE / 0.7390  # cos(42.36°)
    return make_case(
        location=Location(
            lat=LAT + north_metres * METRE, long=LONG + east, address="1 City Hall Sq"
        ),
        **overrides,
    )


def find(service_type, description="Deep pothole in the right lane.", **options):
    return duplicate_candidates(
        service_type=service_type, lat=LAT, long=LONG, description=description, **options
    )


@pytest.fixture
def streetlight(department):
    return ServiceType.objects.create(
        code="streetlight", name="Street light out", default_department=department
    )


def test_open_requests_of_the_same_kind_within_the_radius_are_offered(make_case, service_type):
    near = at(make_case, north_metres=40)
    edge = at(make_case, east_metres=95)
    at(make_case, north_metres=120)  # beyond the default 100 m

    found = find(service_type)

    assert {item.reference for item in found} == {near.reference, edge.reference}
    by_reference = {item.reference: item for item in found}
    assert by_reference[near.reference].distance_metres == pytest.approx(40, abs=1)
    assert by_reference[edge.reference].distance_metres == pytest.approx(95, abs=1)
    assert by_reference[near.reference].address == "1 City Hall Sq"
    assert by_reference[near.reference].service_code == "pothole"


def test_closed_merged_and_old_requests_are_not_offered(make_case, service_type):
    closed = at(make_case)
    case_transition(case=closed, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)
    original = at(make_case)
    merged = at(make_case)
    case_merge(duplicate=merged, original=original, actor=None)
    at(make_case, requested_at=timezone.now() - timedelta(days=31))
    in_window = at(make_case, requested_at=timezone.now() - timedelta(days=29))

    found = find(service_type)

    assert {item.reference for item in found} == {original.reference, in_window.reference}


def test_the_service_s_radius_and_window_decide(make_case, service_type):
    far = at(make_case, north_metres=450)
    older = at(make_case, requested_at=timezone.now() - timedelta(days=50))
    service_type.duplicate_radius_m = 500
    service_type.duplicate_window_days = 60
    service_type.save()

    assert {item.reference for item in find(service_type)} == {far.reference, older.reference}

    service_type.duplicate_radius_m = 0
    service_type.save()
    assert find(service_type) == []


def test_related_services_count_other_services_do_not(make_case, service_type, streetlight):
    light = at(make_case, service_type=streetlight, description="Light out over the pothole")

    assert find(service_type) == []
    service_type.related_types.add(streetlight)

    assert [item.reference for item in find(service_type)] == [light.reference]
    # The relation goes both ways: a street light report sees the pothole reports.
    pothole = at(make_case)
    assert pothole.reference in {item.reference for item in find(streetlight)}


def test_a_time_in_the_past_looks_at_the_window_before_it(make_case, service_type):
    then = timezone.now() - timedelta(days=100)
    old = at(make_case, requested_at=then - timedelta(days=3))
    at(make_case)  # after `then`: not yet reported at that time

    assert [item.reference for item in find(service_type, at=then)] == [old.reference]


def test_similar_words_rank_first_then_distance_and_recency(make_case, service_type):
    words_match = at(
        make_case, north_metres=80, description="Huge potholes in the right lane, deep"
    )
    closest = at(make_case, north_metres=5, description="Cracked kerb by the crossing")
    at(make_case, north_metres=60, description="Cracked kerb by the crossing")

    found = find(service_type, description="Deep pothole in the right-hand lane")

    assert found[0].reference == words_match.reference
    assert found[0].similarity > 0.5 > found[1].similarity
    assert found[1].reference == closest.reference
    assert all(0 <= item.score <= 1 for item in found)


def test_without_a_description_the_nearest_newest_comes_first(make_case, service_type):
    at(make_case, north_metres=70, requested_at=timezone.now() - timedelta(days=20))
    best = at(make_case, north_metres=10)

    found = find(service_type, description="")

    assert found[0].reference == best.reference
    assert {item.similarity for item in found} == {0.0}


def test_limit_jurisdiction_and_exclude(make_case, service_type):
    cases = [at(make_case, north_metres=metres) for metres in (10, 20, 30)]
    elsewhere = at(make_case, jurisdiction="brookline.ma.us")

    assert len(find(service_type, limit=2)) == 2
    assert elsewhere.reference not in {
        item.reference for item in find(service_type, jurisdiction=cases[0].jurisdiction)
    }
    assert cases[0].reference not in {
        item.reference for item in find(service_type, exclude=cases[0])
    }


def test_private_services_are_left_out_for_the_public(make_case, service_type):
    at(make_case)
    service_type.is_public = False
    service_type.save()

    assert len(find(service_type)) == 1
    assert find(service_type, public_only=True) == []


def test_a_large_radius_reads_coarser_cells_and_still_measures(make_case, service_type):
    service_type.duplicate_radius_m = 2000
    service_type.save()
    inside = at(make_case, north_metres=1900, east_metres=300)
    at(make_case, north_metres=2100)

    assert [item.reference for item in find(service_type)] == [inside.reference]


def test_one_query_whatever_the_number_of_candidates(
    make_case, service_type, streetlight, django_assert_num_queries
):
    service_type.related_types.add(streetlight)
    for metres in range(0, 90, 10):
        at(make_case, north_metres=metres)

    with django_assert_num_queries(1):
        found = find(service_type, limit=20)
    assert len(found) == 9


def test_text_similarity_uses_stems_and_ignores_form_keys():
    scores = text_similarities(
        "Potholes everywhere",
        [
            "Description: pothole on the corner",
            "Graffiti on the wall",
            "",
        ],
        language="en",
    )
    assert scores[0] > 0.3 and scores[1] == 0.0 and scores[2] == 0.0
    spanish = text_similarities("baches en la calle", ["un bache grande"], language="es")
    assert spanish[0] > 0.3
