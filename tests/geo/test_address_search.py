"""Searching the gazetteer by typed text: normalization, ranking, limits, cost."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.selectors import MAX_SEARCH_LIMIT, AddressMatch, address_search
from civicdesk.geo.services import address_import_openaddresses, area_import_geojson
from tests.geo.conftest import oa_row, oa_write, two_districts
from tests.geo.test_normalize import ANY_TEXT

# (number, street, city, postcode, unit); all in district 1 except where long says otherwise.
GAZETTEER = [
    ("25", "Sheridan St", "Jamaica Plain", "02130", ""),
    ("22", "Sheridan St", "Jamaica Plain", "02130", ""),
    ("33", "Sheridan St", "Jamaica Plain", "", ""),
    ("250", "Sheridan St", "Jamaica Plain", "", ""),
    ("25", "Sheridan Rd", "Brighton", "", ""),
    ("10", "E Third St", "South Boston", "02127", ""),
    ("14", "East 3rd Street", "South Boston", "", ""),
    ("10", "E Springfield St", "Roxbury", "", ""),
    ("1", "N St", "South Boston", "", ""),
    ("1", "North St", "Boston", "", ""),
    ("8", "Oak St W", "Downtown", "", ""),
    ("8", "Oak St", "Boston", "", ""),
    ("43", "St Botolph St", "Boston", "", ""),
    ("57-59", "South St", "Jamaica Plain", "", ""),
    ("60", "South St", "Jamaica Plain", "", ""),
    ("605A", "Massachusetts Ave", "Roxbury", "", ""),
    ("100", "Main St", "Charlestown", "", "2"),
    ("100", "Main St", "Charlestown", "", ""),
    ("7", "First Ave", "Charlestown", "", ""),
    ("40", "Morrissey Blvd", "Dorchester", "", ""),
    ("3", "Cambridge St", "Allston", "02134", ""),
    ("3", "Cambridge St", "Boston", "02114", ""),
]


@pytest.fixture
def gazetteer(tmp_path, django_db_blocker):
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    rows = [
        oa_row(
            number,
            street,
            city=city,
            postcode=postcode,
            unit=unit,
            lat=0.5,
            long=0.02 + index / 40,  # index 0..21 -> long 0.02..0.545, district 1
            id=f"a{index}",
        )
        for index, (number, street, city, postcode, unit) in enumerate(GAZETTEER)
    ]
    rows.append(oa_row("9", "Far Side Ter", city="Eastside", lat=0.5, long=1.5, id="east"))
    address_import_openaddresses(path=oa_write(tmp_path / "g.csv", rows), source="test")


def labels(query, **kwargs):
    return [match.label for match in address_search(query, **kwargs)]


pytestmark = pytest.mark.django_db


def test_exact_number_and_street_first_then_the_street_by_nearest_number(gazetteer):
    assert labels("25 Sheridan St") == [
        "25 Sheridan St, Jamaica Plain 02130",
        "22 Sheridan St, Jamaica Plain 02130",
        "33 Sheridan St, Jamaica Plain",
        "250 Sheridan St, Jamaica Plain",
    ]


def test_a_match_carries_the_address_its_point_and_district(gazetteer):
    (first, *_rest) = address_search("25 sheridan st jamaica plain")
    assert first == AddressMatch(
        label="25 Sheridan St, Jamaica Plain 02130",
        lat=0.5,
        long=0.02,
        number="25",
        street="Sheridan St",
        unit="",
        city="Jamaica Plain",
        postcode="02130",
        district_code="1",
        district_name="District One",
    )
    assert address_search("9 far side")[0].district_code == "2"


def test_while_typing_the_number_and_street_prefix_match(gazetteer):
    found = labels("25 sher")
    # Both streets starting "Sher" with house 25 come first, in street order.
    assert found[:2] == ["25 Sheridan Rd, Brighton", "25 Sheridan St, Jamaica Plain 02130"]
    assert set(found[2:]) == {
        "22 Sheridan St, Jamaica Plain 02130",
        "33 Sheridan St, Jamaica Plain",
        "250 Sheridan St, Jamaica Plain",
    }


def test_a_number_alone_lists_that_number_then_longer_ones(gazetteer):
    assert labels("25") == [
        "25 Sheridan Rd, Brighton",
        "25 Sheridan St, Jamaica Plain 02130",
        "250 Sheridan St, Jamaica Plain",
    ]


@pytest.mark.parametrize(
    "query",
    ["10 E Third St", "10 e. third st.", "10 east 3rd street", "10 EAST THIRD", "10 e 3rd"],
)
def test_suffixes_directions_and_ordinals_are_spelled_either_way(gazetteer, query):
    assert labels(query)[:2] == [
        "10 E Third St, South Boston 02127",
        "14 East 3rd Street, South Boston",
    ]


def test_a_missing_house_lists_its_street_before_that_number_on_other_streets(gazetteer):
    # No house 12 on East Third: its other houses, nearest number first.
    assert labels("12 e 3rd st") == [
        "10 E Third St, South Boston 02127",
        "14 East 3rd Street, South Boston",
    ]
    # No house 14 on East Springfield: its house 10 comes before house 14 of East Third,
    # which only the shortened query ("14 east") found.
    assert labels("14 e springfield st") == [
        "10 E Springfield St, Roxbury",
        "14 East 3rd Street, South Boston",
    ]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("1 N St", "1 N St, South Boston"),
        ("1 north st", "1 North St, Boston"),
        ("8 oak st w", "8 Oak St W, Downtown"),
        ("8 oak st", "8 Oak St, Boston"),
        ("43 saint botolph street", "43 St Botolph St, Boston"),
        ("st botolph", "43 St Botolph St, Boston"),
        ("7 1st ave", "7 First Ave, Charlestown"),
        ("7 first avenue", "7 First Ave, Charlestown"),
        ("40 morrissey blvd", "40 Morrissey Blvd, Dorchester"),
        ("40 Morrissey Boulevard, Dorchester MA", "40 Morrissey Blvd, Dorchester"),
        ("605a mass", "605A Massachusetts Ave, Roxbury"),
        ("605A Massachusetts Avenue", "605A Massachusetts Ave, Roxbury"),
        ("57-59 south st", "57-59 South St, Jamaica Plain"),
        ("57 59 South St", "57-59 South St, Jamaica Plain"),
    ],
)
def test_normalized_matches(gazetteer, query, first):
    assert labels(query)[0] == first


def test_a_house_inside_a_range_finds_the_range(gazetteer):
    assert labels("58 South St")[:2] == [
        "57-59 South St, Jamaica Plain",
        "60 South St, Jamaica Plain",
    ]


def test_wrong_city_or_a_unit_does_not_hide_the_street(gazetteer):
    assert labels("25 Sheridan St, Boston")[0] == "25 Sheridan St, Jamaica Plain 02130"
    assert labels("100 Main St Apt 2")[:2] == [
        "100 Main St, Charlestown",
        "100 Main St, #2, Charlestown",
    ]


def test_postcode_picks_between_two_same_addresses(gazetteer):
    assert labels("3 Cambridge St 02134")[0] == "3 Cambridge St, Allston 02134"
    assert labels("3 Cambridge St, MA 02114")[0] == "3 Cambridge St, Boston 02114"


def test_street_only_lists_its_houses_in_order(gazetteer):
    assert labels("sheridan st") == [
        "22 Sheridan St, Jamaica Plain 02130",
        "25 Sheridan St, Jamaica Plain 02130",
        "33 Sheridan St, Jamaica Plain",
        "250 Sheridan St, Jamaica Plain",
    ]
    assert labels("sheridan")[0] == "25 Sheridan Rd, Brighton"


def test_limit_is_respected_and_clamped(gazetteer):
    assert len(address_search("sheridan", limit=2)) == 2
    assert len(address_search("sheridan", limit=0)) == 1
    assert len(address_search("s", limit=10_000)) <= MAX_SEARCH_LIMIT


@pytest.mark.parametrize("query", ["", "   ", "zzz", "99999 nowhere", "\x00", "!!!", "ß" * 300])
def test_nothing_found(gazetteer, query):
    assert address_search(query) == []


@pytest.mark.parametrize(
    "query",
    ["25 Sheridan St", "25 sher", "10 e thi", "10 east 3rd st boston ma", "sheridan", "25"],
)
def test_search_costs_at_most_four_queries(gazetteer, django_assert_max_num_queries, query):
    with django_assert_max_num_queries(4):
        assert address_search(query)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(query=ANY_TEXT, limit=st.integers(min_value=-5, max_value=100))
def test_search_never_raises(gazetteer, query, limit):
    matches = address_search(query, limit=limit)
    assert len(matches) <= max(1, min(limit, MAX_SEARCH_LIMIT))
    assert len({match.label for match in matches}) == len(matches)
