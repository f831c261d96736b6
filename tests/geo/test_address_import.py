"""Importing OpenAddresses CSV files into the gazetteer."""

import re

import pytest
from django.core.management import CommandError, call_command

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Address
from civicdesk.geo.openaddresses import AddressFileError
from civicdesk.geo.selectors import area_containing, areas_containing, points_in_jurisdiction
from civicdesk.geo.services import (
    address_import_openaddresses,
    area_dissolve_jurisdiction,
    area_import_geojson,
)
from tests.geo.conftest import OA_HEADER, oa_row, oa_write, two_districts

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """Districts 1 (long 0..1) and 2 (long 1..2), lat 0..1, and their union as the city."""
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="City")


def three_rows():
    return [
        oa_row("25", "Sheridan St", lat=0.5, long=0.25, city="Jamaica Plain", postcode="02130"),
        oa_row("57-59", "South St", lat=0.5, long=1.5, unit="2", id="oa-2"),
        oa_row("8", "Oak St W", lat=0.75, long=0.75, city="Downtown", id="oa-3"),
    ]


@pytest.mark.parametrize("gzipped", [False, True])
def test_import_creates_addresses_with_search_keys_and_districts(tmp_path, city, gzipped):
    name = "addresses.csv.gz" if gzipped else "addresses.csv"
    path = oa_write(tmp_path / name, three_rows(), gzipped=gzipped)

    summary = address_import_openaddresses(path=path, source="test")

    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (3, 3, 0, 0)
    assert summary.skipped_total == 0
    sheridan = Address.objects.get(street="Sheridan St")
    assert (sheridan.number, sheridan.city, sheridan.postcode) == ("25", "Jamaica Plain", "02130")
    assert (sheridan.lat, sheridan.long) == (0.5, 0.25)
    assert sheridan.search_text == "25 sheridan street jamaica plain"
    assert sheridan.street_text == "sheridan street jamaica plain"
    assert sheridan.number_value == 25
    assert sheridan.district.code == "1"
    assert sheridan.external_id.startswith("address:")  # no ID in the file: derived
    south = Address.objects.get(external_id="oa-2")
    assert (south.number, south.unit, south.number_value) == ("57-59", "2", 57)
    assert south.search_text == "57-59 south street"
    assert south.district.code == "2"
    assert Address.objects.get(external_id="oa-3").search_text == "8 oak street west downtown"


def test_reimport_is_idempotent_and_changes_are_updates(tmp_path, city):
    path = oa_write(tmp_path / "a.csv", three_rows())
    address_import_openaddresses(path=path, source="test")
    ids = dict(Address.objects.values_list("external_id", "id"))

    again = address_import_openaddresses(path=path, source="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert dict(Address.objects.values_list("external_id", "id")) == ids

    moved = three_rows()
    moved[1] = oa_row("57-59", "South Street", lat=0.5, long=0.5, unit="2", id="oa-2")
    changed = address_import_openaddresses(path=oa_write(tmp_path / "b.csv", moved), source="test")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    south = Address.objects.get(external_id="oa-2")
    assert south.id == ids["oa-2"]
    assert (south.street, south.long, south.district.code) == ("South Street", 0.5, "1")
    assert Address.objects.count() == 3


def test_without_an_id_the_address_itself_is_the_identity(tmp_path, city):
    first = [oa_row("25", "Sheridan St", lat=0.5, long=0.25, city="JP")]
    address_import_openaddresses(path=oa_write(tmp_path / "a.csv", first), source="test")
    # The same address written differently, at a corrected point: one row, updated.
    corrected = [oa_row("25", "SHERIDAN STREET", lat=0.5, long=0.3, city="jp")]
    summary = address_import_openaddresses(
        path=oa_write(tmp_path / "b.csv", corrected), source="test"
    )
    assert (summary.created, summary.updated) == (0, 1)
    assert Address.objects.get().long == 0.3


def test_same_ids_in_two_sources_are_two_addresses(tmp_path, city):
    path = oa_write(tmp_path / "a.csv", three_rows())
    address_import_openaddresses(path=path, source="one")
    summary = address_import_openaddresses(path=path, source="two")
    assert summary.created == 3
    assert Address.objects.count() == 6


def test_bad_rows_are_skipped_and_counted_by_reason_with_line_numbers(tmp_path, city):
    rows = [
        oa_row("1", "Good St", lat=0.5, long=0.5),  # line 2
        oa_row("2", "Lat St", lat="north", long=0.5),  # line 3
        oa_row("3", "Range St", lat=95, long=0.5),  # line 4
        oa_row("4", "Nan St", lat="nan", long=0.5),  # line 5
        oa_row("5", "Null Island St", lat=0, long=0),  # line 6
        oa_row("6", "Far St", lat=40.7, long=-74.0),  # line 7: outside the city
        oa_row("", "No Number St", lat=0.5, long=0.5),  # line 8
        oa_row("7", "  ", lat=0.5, long=0.5),  # line 9
        oa_row("8", "Dup St", lat=0.5, long=0.5, id="same"),  # line 10
        oa_row("9", "Dup St", lat=0.5, long=0.6, id="same"),  # line 11: repeats the ID
        ["0.5", "0.5", "10", "Short Row"],  # line 12
        oa_row("11", "Long St" * 40, lat=0.5, long=0.5),  # line 13
        oa_row("12", "Fine St", lat=0.2, long=1.8),  # line 14
    ]
    summary = address_import_openaddresses(path=oa_write(tmp_path / "a.csv", rows), source="t")

    assert summary.rows == 13
    assert summary.created == 3
    assert dict(summary.skipped) == {
        "bad coordinates": 4,
        "outside the jurisdiction": 1,
        "no house number": 1,
        "no street name": 1,
        "repeats the ID of an earlier row": 1,
        "wrong number of columns": 1,
        "STREET longer than 200 characters": 1,
    }
    assert summary.skipped_lines["bad coordinates"] == [3, 4, 5, 6]
    assert summary.skipped_lines["outside the jurisdiction"] == [7]
    assert summary.skipped_lines["repeats the ID of an earlier row"] == [11]
    text = "\n".join(summary.lines())
    assert "13 rows: 3 created, 0 updated, 0 unchanged, 10 skipped" in text
    assert "skipped 4: bad coordinates (lines 3, 4, 5, 6)" in text
    assert sorted(Address.objects.values_list("number", flat=True)) == ["1", "12", "8"]
    # The first row with a repeated ID wins.
    assert Address.objects.get(external_id="same").long == 0.5


def test_without_boundaries_every_valid_point_is_kept_without_a_district(tmp_path):
    rows = [oa_row("1", "Anywhere Rd", lat=-33.9, long=151.2)]
    summary = address_import_openaddresses(path=oa_write(tmp_path / "a.csv", rows), source="t")
    assert summary.created == 1
    assert Address.objects.get().district is None


def test_point_between_districts_but_inside_the_city_keeps_no_district(tmp_path):
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    # A jurisdiction wider than its districts: a point in the gap is kept, with no district.
    from tests.geo.conftest import collection, feature, square

    area_import_geojson(
        data=collection(feature({"code": "wide", "name": "Wide"}, square(-1, -1, 3, 2))),
        kind=AreaKind.JURISDICTION,
    )
    rows = [oa_row("1", "Gap Rd", lat=1.5, long=0.5)]
    summary = address_import_openaddresses(path=oa_write(tmp_path / "a.csv", rows), source="t")
    assert summary.created == 1
    assert Address.objects.get().district is None


def test_small_batches_give_the_same_result(tmp_path, city):
    rows = [oa_row(str(n), "Batch St", lat=0.5, long=0.01 + n / 60) for n in range(1, 100)]
    rows.append(oa_row("1", "Batch St", lat=0.5, long=0.5))  # repeats number 1's address
    path = oa_write(tmp_path / "a.csv", rows)
    summary = address_import_openaddresses(path=path, source="t", batch_size=7)
    assert summary.created == 99
    assert summary.skipped == {"repeats the ID of an earlier row": 1}
    districts = dict(Address.objects.values_list("number", "district__code"))
    assert districts["1"] == "1"
    assert districts["99"] == "2"
    again = address_import_openaddresses(path=path, source="t", batch_size=10)
    assert again.unchanged == 99


def test_addresses_not_in_the_file_are_kept_and_reported(tmp_path, city):
    address_import_openaddresses(path=oa_write(tmp_path / "a.csv", three_rows()), source="t")
    summary = address_import_openaddresses(
        path=oa_write(tmp_path / "b.csv", three_rows()[:1]), source="t"
    )
    assert summary.not_in_file == 2
    assert "Kept 2 address(es) of source 't' that are not in this file." in summary.lines()
    assert Address.objects.count() == 3


def test_header_is_matched_without_case_and_optional_columns_may_be_missing(tmp_path, city):
    path = tmp_path / "a.csv"
    path.write_text("\ufefflon,Lat,number,STREET\n0.5,0.5,1,Main St\n", encoding="utf-8")
    summary = address_import_openaddresses(path=path, source="t")
    assert summary.created == 1
    address = Address.objects.get()
    assert (address.unit, address.city, address.postcode) == ("", "", "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"LON,LAT,STREET\n1,2,Main St\n", "lacks column(s) NUMBER"),
        (b"id,name\n1,x\n", "lacks column(s) LON, LAT, NUMBER, STREET"),
        (b"\x1f\x8b\x08\x00garbage", "Cannot read"),
    ],
)
def test_unreadable_files_raise_before_writing(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(AddressFileError, match=re.escape(message)):
        address_import_openaddresses(path=path, source="t")
    assert Address.objects.count() == 0


def test_missing_file_and_bad_source_names(tmp_path):
    with pytest.raises(AddressFileError, match="Cannot read"):
        address_import_openaddresses(path=tmp_path / "missing.csv", source="t")
    path = oa_write(tmp_path / "a.csv", three_rows())
    with pytest.raises(AddressFileError, match="1 to 32 characters"):
        address_import_openaddresses(path=path, source=" ")
    with pytest.raises(AddressFileError, match="1 to 32 characters"):
        address_import_openaddresses(path=path, source="x" * 33)


def test_undecodable_and_malformed_rows_are_skipped(tmp_path, city):
    path = tmp_path / "a.csv"
    good = "0.5,0.5,1,Main St,,,,,,,\n"
    path.write_bytes(
        (",".join(OA_HEADER) + "\n" + good).encode() + b"0.5,0.5,2,Caf\xe9 St,,,,,,,\n"
    )
    summary = address_import_openaddresses(path=path, source="t")
    assert summary.created == 1
    assert summary.skipped == {"not valid UTF-8": 1}


def test_bulk_point_lookups_agree_with_the_single_ones(city):
    points = [(lat / 10, long / 10) for lat in range(-2, 13, 3) for long in range(-2, 23, 2)]
    points += [(0.5, 1.0), (0.0, 2.0), (1.0, 1.0)]  # shared border, corners
    districts = areas_containing(points=points, kind=AreaKind.DISTRICT)
    inside = points_in_jurisdiction(points=points)
    for (lat, long), district, is_inside in zip(points, districts, inside, strict=True):
        single = area_containing(lat=lat, long=long)
        assert (district.code if district else None) == (single.code if single else None)
        assert is_inside == (single is not None)
    assert areas_containing(points=[]) == []
    assert points_in_jurisdiction(points=[]) == []


def test_command_is_a_thin_wrapper(tmp_path, city, capsys):
    path = oa_write(tmp_path / "boston-addresses.csv.gz", three_rows(), gzipped=True)
    call_command("geo", "addresses", "import", str(path), "--no-progress")
    out = capsys.readouterr().out
    # The source defaults to the file name up to its first dot.
    assert "-> source 'boston-addresses'" in out
    assert "3 rows: 3 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert set(Address.objects.values_list("source", flat=True)) == {"boston-addresses"}

    call_command("geo", "addresses", "import", str(path), "--source", "other")
    assert Address.objects.filter(source="other").count() == 3


def test_command_errors(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("geo", "addresses", "import", str(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lacks column"):
        call_command("geo", "addresses", "import", str(bad))


def test_reimport_after_the_districts_change_moves_addresses_to_their_new_district(tmp_path, city):
    from tests.geo.conftest import collection, feature, square

    path = oa_write(tmp_path / "a.csv", three_rows())
    address_import_openaddresses(path=path, source="t")
    assert Address.objects.get(external_id="oa-2").district.code == "2"

    # District 1 grows over district 2's western half; the border rule gives it the point.
    grown = collection(feature({"DISTRICT": 1, "NAME": "District One"}, square(0, 0, 1.75, 1)))
    area_import_geojson(data=grown, kind=AreaKind.DISTRICT)
    summary = address_import_openaddresses(path=path, source="t")
    assert (summary.updated, summary.unchanged) == (1, 2)
    assert Address.objects.get(external_id="oa-2").district.code == "1"
