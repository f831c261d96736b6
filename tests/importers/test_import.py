"""Importing the committed real samples, bad input, and crash safety, against the database."""

import csv
import gzip
import io
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.cases.services import opening
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.services import area_import_geojson
from civicdesk.intake.importers import import_nyc311, import_open311, load_mapping
from civicdesk.intake.importers import runner as runner_module
from civicdesk.intake.importers.nyc311 import nyc_column

from .conftest import (
    BOSTON_SAMPLE,
    DEMO_DIR,
    MAPPINGS_DIR,
    NYC_HOUR_SAMPLE,
    NYC_SOCRATA_SAMPLE,
)

OPEN311_COLUMNS = [
    "service_request_id",
    "service_name",
    "service_code",
    "description",
    "status",
    "status_notes",
    "requested_datetime",
    "updated_datetime",
    "address",
    "lat",
    "long",
    "media_url",
]


def boston_requests() -> list[dict]:
    with gzip.open(BOSTON_SAMPLE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def boston_expected(requests: list[dict]) -> int:
    """Rows the importer must take, judged from the file with the rules stated plainly."""
    mapped = {"Other", "Illegal Parking", "Sidewalk Not Shoveled", "Abandoned Vehicle"}
    count = 0
    for request in requests:
        requested = datetime.fromisoformat(request["requested_datetime"])
        updated = datetime.fromisoformat(request["updated_datetime"])
        if (
            request["service_name"] in mapped
            and len(request["description"]) <= 4000
            and (request["lat"] is None) == (request["long"] is None)
            and not (request["status"] == "closed" and updated < requested)
        ):
            count += 1
    return count


def nyc_rows(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return [{nyc_column(k): v for k, v in row.items()} for row in csv.DictReader(handle)]


def open311_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OPEN311_COLUMNS)
        writer.writerows(rows)
    return path


def good_row(request_id: str, **overrides: str) -> list[str]:
    row = {
        "service_request_id": request_id,
        "service_name": "Illegal Parking",
        "service_code": "4f389210e75084437f0001e5",
        "description": "Blocking the hydrant.",
        "status": "closed",
        "status_notes": "Case Noted. tagged.",
        "requested_datetime": "2017-06-01T10:00:00-04:00",
        "updated_datetime": "2017-06-01T12:30:00-04:00",
        "address": "1 City Hall Sq, Boston",
        "lat": "42.3601",
        "long": "-71.0589",
        "media_url": "",
    }
    row.update(overrides)
    return [row[column] for column in OPEN311_COLUMNS]


# --- the committed Boston sample -------------------------------------------------------------


@pytest.mark.slow
def test_boston_sample_imports_once(catalog, boston_mapping):
    requests = boston_requests()
    expected = boston_expected(requests)
    assert len(requests) == 3000
    assert expected > 2900

    report = import_open311(
        path=BOSTON_SAMPLE, mapping=boston_mapping, source="boston-open311", progress=False
    )
    assert report.rows == len(requests)
    assert report.imported == expected
    assert report.skipped_total == len(requests) - expected
    assert Case.objects.filter(source="boston-open311").count() == expected
    events = CaseEvent.objects.count()
    by_type = Counter(
        Case.objects.filter(source="boston-open311").values_list("service_type__code", flat=True)
    )
    assert by_type == {
        "general-request": 750,
        "illegal-parking": 750,
        "sidewalk-not-shoveled": 750,
        "abandoned-vehicle": 750,
    }

    again = import_open311(
        path=BOSTON_SAMPLE, mapping=boston_mapping, source="boston-open311", progress=False
    )
    assert again.imported == 0
    assert again.already_present == expected
    assert Case.objects.count() == expected
    assert CaseEvent.objects.count() == events

    closed = Case.objects.get(source="boston-open311", external_id="101001685759")
    assert closed.status == CaseStatus.CLOSED
    assert closed.close_reason == CloseReason.RESOLVED
    assert closed.service_type.code == "general-request"
    assert closed.requested_at == datetime(2016, 1, 1, 18, 30, 27, tzinfo=UTC)
    assert closed.closed_at == datetime(2016, 1, 6, 18, 48, 55, tzinfo=UTC)
    assert closed.description.startswith("Loose water and sewer man hole on Beech street")
    assert closed.address == "Intersection Of Beech St & Iona St, Roslindale"
    assert closed.lat == pytest.approx(42.28441973686431)
    close_event = closed.events.get(kind=EventKind.CLOSED)
    assert close_event.public_text == (
        "Case Closed. Case Resolved. NO LOOSE M/H COVER FOUND, ALL COVERS OKAY HERE. 1/4."
    )
    assert close_event.created_at == closed.closed_at

    snow = Case.objects.get(source="boston-open311", external_id="101001693177")
    assert snow.service_type.code == "sidewalk-not-shoveled"
    assert snow.closed_at == datetime(2016, 1, 14, 17, 46, 47, tzinfo=UTC)
    assert snow.events.get(kind=EventKind.CLOSED).public_text.startswith("Case Closed. Case Noted.")

    still_open = Case.objects.get(source="boston-open311", external_id="101001685978")
    assert still_open.status == CaseStatus.OPEN
    assert still_open.closed_at is None
    assert still_open.close_reason == ""
    assert still_open.media_url.endswith("/5687ff720485434d5d5b5b8f/report.jpg")
    assert list(still_open.events.values_list("kind", flat=True)) == [EventKind.IMPORTED]


def test_open311_csv_form_and_limit(catalog, boston_mapping, tmp_path):
    """The shared Boston file is CSV with the same names; gzipped CSV reads the same way."""
    requests = boston_requests()[:40]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OPEN311_COLUMNS)
    writer.writeheader()
    for request in requests:
        writer.writerow({k: "" if v is None else v for k, v in request.items()})
    path = tmp_path / "boston.csv.gz"
    path.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8")))

    report = import_open311(path=path, mapping=boston_mapping, progress=False, limit=25)
    assert (report.rows, report.imported) == (25, 25)
    report = import_open311(path=path, mapping=boston_mapping, progress=False)
    assert (report.imported, report.already_present) == (15, 25)
    assert Case.objects.filter(source="open311").count() == 40


# --- the committed NYC samples, both column styles -------------------------------------------


@pytest.mark.parametrize(
    ("path", "style"), [(NYC_HOUR_SAMPLE, "title case"), (NYC_SOCRATA_SAMPLE, "snake_case")]
)
def test_nyc_samples_import_in_both_column_styles(catalog, nyc_mapping, path, style):
    rows = nyc_rows(path)
    mapped = set(nyc_mapping.service_types)
    closed_too_early = {
        row["unique_key"]
        for row in rows
        if row["status"] == "Closed" and row["closed_date"].startswith("1900")
    }
    expected = [
        row
        for row in rows
        if " ".join(row["complaint_type"].split()).casefold() in mapped
        and row["unique_key"] not in closed_too_early
    ]

    report = import_nyc311(path=path, mapping=nyc_mapping, progress=False)
    assert report.column_style.startswith(style)
    assert report.rows == len(rows)
    assert report.imported == len(expected)
    assert report.warnings == []
    unmapped = sum(n for reason, n in report.skipped.items() if reason.startswith("unmapped"))
    assert unmapped + report.skipped["closed before opened"] == report.skipped_total
    assert report.skipped["closed before opened"] == len(closed_too_early)
    assert Case.objects.filter(source="nyc311").count() == len(expected)

    again = import_nyc311(path=path, mapping=nyc_mapping, progress=False)
    assert (again.imported, again.already_present) == (0, len(expected))
    KNOWN_ROW_CHECKS[style](rows)


def check_hour_sample_rows(rows: list[dict[str, str]]) -> None:
    street = Case.objects.get(source="nyc311", external_id="54046813")
    assert street.service_type.code == "noise-street"
    assert street.department.code == "police-nonemergency"
    assert street.status == CaseStatus.CLOSED
    assert street.requested_at == datetime(2022, 5, 1, 4, 0, 9, tzinfo=UTC)
    assert street.closed_at == datetime(2022, 5, 1, 4, 7, 46, tzinfo=UTC)
    assert street.zipcode == "10027"
    assert street.address.startswith("364 WEST")
    assert street.events.get(kind=EventKind.CLOSED).public_text == (
        "The Police Department responded to the complaint and took action to fix the condition."
    )
    in_progress = Case.objects.get(source="nyc311", external_id="54049402")
    assert in_progress.status == CaseStatus.IN_PROGRESS
    assert in_progress.closed_at is None


def check_socrata_sample_rows(rows: list[dict[str, str]]) -> None:
    vehicle = Case.objects.get(source="nyc311", external_id="51924631")
    assert vehicle.service_type.code == "noise-vehicle"
    assert vehicle.requested_at == datetime(2021, 9, 21, 4, 45, 18, tzinfo=UTC)
    assert vehicle.closed_at == datetime(2021, 9, 21, 4, 49, 27, tzinfo=UTC)
    assert vehicle.attributes["source_channel"] == "MOBILE"
    # Open requests that carry NYC's 1900-01-01 placeholder close date are open cases.
    placeholder = [
        row["unique_key"]
        for row in rows
        if row["status"] != "Closed" and row["closed_date"].startswith("1900")
    ]
    cases = Case.objects.filter(source="nyc311", external_id__in=placeholder)
    assert len(placeholder) > 10
    assert cases.count() > 0
    for case in cases:
        assert case.closed_at is None
        assert case.status != CaseStatus.CLOSED


KNOWN_ROW_CHECKS = {"title case": check_hour_sample_rows, "snake_case": check_socrata_sample_rows}


# --- bad input -------------------------------------------------------------------------------


def test_bad_rows_are_skipped_with_their_reason_and_write_nothing(
    catalog, boston_mapping, tmp_path
):
    path = open311_csv(
        tmp_path / "bad.csv",
        [
            good_row("ok-1"),  # line 2
            [*good_row("extra-column"), "surplus"],  # line 3
            good_row("bad-date", requested_datetime="June 1st"),  # line 4
            good_row("closed-early", updated_datetime="2017-05-31T10:00:00-04:00"),  # line 5
            good_row("lat-only", long=""),  # line 6
            good_row("unmapped", service_name="Pothole", service_code="abc"),  # line 7
            good_row("too-long", description="x" * 4001),  # line 8
            good_row("ok-2", status="open", updated_datetime=""),  # line 9
        ],
    )
    with path.open("ab") as handle:
        handle.write(b"bad-bytes,Illegal Parking,x,caf\xe9,open,,2017-06-01T10:00:00-04:00,,,,,\n")
        handle.write(b'short-row,"Illegal Parking"\n')

    report = import_open311(path=path, mapping=boston_mapping, progress=False)

    assert report.rows == 10
    assert report.imported == 2
    assert dict(report.skipped) == {
        "wrong number of columns": 2,
        "requested_datetime is not a date and time": 1,
        "closed before opened": 1,
        "lat without long": 1,
        "unmapped category 'Pothole'": 1,
        "description longer than 4,000 characters": 1,
        "row is not valid UTF-8": 1,
    }
    assert report.skipped_rows["wrong number of columns"] == [3, 11]
    assert report.skipped_rows["closed before opened"] == [5]
    assert report.skipped_rows["row is not valid UTF-8"] == [10]
    assert set(Case.objects.values_list("external_id", flat=True)) == {"ok-1", "ok-2"}
    assert CaseEvent.objects.count() == 3  # imported + closed for ok-1, imported for ok-2
    text = "\n".join(report.lines())
    assert "skipped 2: wrong number of columns (rows 3, 11)" in text


def test_json_items_that_are_not_objects_are_skipped(catalog, boston_mapping, tmp_path):
    request = dict(zip(OPEN311_COLUMNS, good_row("json-1"), strict=True))
    path = tmp_path / "requests.json"
    path.write_text(json.dumps([request, "nonsense", None]), encoding="utf-8")
    report = import_open311(path=path, mapping=boston_mapping, progress=False)
    assert report.imported == 1
    assert report.skipped == {"not a request object": 2}
    assert report.skipped_rows["not a request object"] == [2, 3]


def test_points_outside_the_jurisdiction_are_skipped_and_districts_set(
    catalog, boston_mapping, tmp_path
):
    def square(code, west, south, east, north):
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {
            "type": "Feature",
            "properties": {"code": code, "name": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    area_import_geojson(
        data={
            "type": "FeatureCollection",
            "features": [square("boston", -71.2, 42.2, -70.9, 42.4)],
        },
        kind=AreaKind.JURISDICTION,
    )
    area_import_geojson(
        data={
            "type": "FeatureCollection",
            "features": [square("downtown", -71.07, 42.35, -71.05, 42.37)],
        },
        kind=AreaKind.DISTRICT,
    )
    path = open311_csv(
        tmp_path / "places.csv",
        [
            good_row("in-downtown"),
            good_row("in-boston", lat="42.30", long="-71.10"),
            good_row("in-new-york", lat="40.7128", long="-74.0060"),
            good_row("nowhere", lat="", long=""),
        ],
    )
    report = import_open311(path=path, mapping=boston_mapping, progress=False)
    assert report.imported == 3
    assert report.skipped == {"outside the jurisdiction": 1}
    assert Case.objects.get(external_id="in-downtown").district.code == "downtown"
    assert Case.objects.get(external_id="in-boston").district is None
    assert Case.objects.get(external_id="nowhere").lat is None
    assert not Case.objects.filter(external_id="in-new-york").exists()


def test_mapping_codes_missing_from_the_catalog_are_reported(catalog, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        yaml.safe_dump({"service_types": {"Illegal Parking": "no-such-type", "Other": "pothole"}}),
        encoding="utf-8",
    )
    path = open311_csv(
        tmp_path / "rows.csv", [good_row("a"), good_row("b", service_name="Other", service_code="")]
    )
    report = import_open311(path=path, mapping=mapping, progress=False)
    assert report.warnings == ["the mapping names service type 'no-such-type', not in the catalog"]
    assert report.skipped == {"service type 'no-such-type' is not in the catalog": 1}
    assert report.imported == 1


# --- crash safety ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_crash_keeps_earlier_rows_and_a_rerun_finishes(
    transactional_catalog, boston_mapping, monkeypatch
):
    limit, crash_at = 60, 25
    clean_total = boston_expected(boston_requests()[:limit])
    real_case_event_record = opening.case_event_record
    calls = {"imports": 0}
    real_case_import = runner_module.case_import

    def counting_case_import(*, record):
        calls["imports"] += 1
        return real_case_import(record=record)

    def crashing_event_record(**kwargs):
        # Fail after the case row and its first event are written, inside case_import's
        # transaction: the whole row must vanish.
        if calls["imports"] == crash_at and kwargs["kind"] != EventKind.IMPORTED:
            raise RuntimeError("power cut")
        return real_case_event_record(**kwargs)

    requests = boston_requests()
    crashing_id = requests[crash_at - 1]["service_request_id"]
    assert requests[crash_at - 1]["status"] == "closed"  # so a second event is written
    monkeypatch.setattr(runner_module, "case_import", counting_case_import)
    monkeypatch.setattr(opening, "case_event_record", crashing_event_record)
    with pytest.raises(RuntimeError, match="power cut"):
        import_open311(path=BOSTON_SAMPLE, mapping=boston_mapping, progress=False, limit=limit)

    kept = set(Case.objects.values_list("external_id", flat=True))
    assert kept == {r["service_request_id"] for r in requests[: crash_at - 1]}
    assert crashing_id not in kept
    assert not CaseEvent.objects.filter(data__external_id=crashing_id).exists()

    monkeypatch.setattr(opening, "case_event_record", real_case_event_record)
    report = import_open311(path=BOSTON_SAMPLE, mapping=boston_mapping, progress=False, limit=limit)
    assert report.already_present == crash_at - 1
    assert report.imported == clean_total - (crash_at - 1)
    assert Case.objects.count() == clean_total
    assert CaseEvent.objects.filter(case__external_id=crashing_id).count() == 2


@pytest.mark.django_db(transaction=True)
def test_no_queries_per_row_beyond_case_import(transactional_catalog, boston_mapping, monkeypatch):
    inside = {"queries": 0}
    real_case_import = runner_module.case_import

    def measured_case_import(*, record):
        with CaptureQueriesContext(connection) as captured:
            result = real_case_import(record=record)
        inside["queries"] += len(captured)
        return result

    monkeypatch.setattr(runner_module, "case_import", measured_case_import)
    mapping = load_mapping(MAPPINGS_DIR / "boston-open311.yaml")
    with CaptureQueriesContext(connection) as everything:
        import_open311(path=BOSTON_SAMPLE, mapping=mapping, progress=False, limit=50)
    # Resolving the mapping, and the geo cache's first look at the areas table.
    assert len(everything) - inside["queries"] <= 6


# --- the command -----------------------------------------------------------------------------


def test_command_prints_the_summary(catalog, tmp_path):
    out = io.StringIO()
    path = open311_csv(tmp_path / "x.csv", [good_row("c-1"), good_row("c-2", lat="")])
    call_command("import", "open311", str(path), "--no-progress", "--source", "cli", stdout=out)
    text = out.getvalue()
    assert "2 rows: 1 imported, 0 already present, 1 skipped" in text
    assert "skipped 1: long without lat (rows 3)" in text
    assert Case.objects.get(external_id="c-1").source == "cli"


def test_command_nyc_with_limit(catalog):
    out = io.StringIO()
    call_command(
        "import", "nyc311", str(NYC_HOUR_SAMPLE), "--no-progress", "--limit", "5", stdout=out
    )
    assert "columns: title case" in out.getvalue()
    assert Case.objects.filter(source="nyc311").count() <= 5


@pytest.mark.parametrize(
    "problem", ["missing-file", "bad-mapping", "missing-mapping", "corrupt-gzip", "not-nyc"]
)
def test_command_fails_on_unreadable_file_or_mapping(catalog, tmp_path, problem):
    path = open311_csv(tmp_path / "x.csv", [good_row("c-1")])
    args = ["import", "open311", str(path), "--no-progress"]
    if problem == "missing-file":
        args[2] = str(tmp_path / "absent.json")
    elif problem == "bad-mapping":
        (tmp_path / "m.yaml").write_text("service_types: [1, 2]", encoding="utf-8")
        args += ["--mapping", str(tmp_path / "m.yaml")]
    elif problem == "missing-mapping":
        args += ["--mapping", str(tmp_path / "absent.yaml")]
    elif problem == "corrupt-gzip":
        (tmp_path / "x.json.gz").write_bytes(gzip.compress(b"[{}]" * 100)[:30])
        args[2] = str(tmp_path / "x.json.gz")
    elif problem == "not-nyc":
        args[1] = "nyc311"
    with pytest.raises(CommandError):
        call_command(*args)
    assert not Case.objects.exists()


def test_demo_mappings_only_name_codes_of_the_demo_catalog():
    document = yaml.safe_load((DEMO_DIR / "catalog.yaml").read_text(encoding="utf-8"))
    service_codes = {entry["code"] for entry in document["service_types"]}
    department_codes = {entry["code"] for entry in document["departments"]}
    for name in ("boston-open311.yaml", "nyc311.yaml"):
        services, departments = load_mapping(MAPPINGS_DIR / name).codes()
        assert services <= service_codes, name
        assert departments <= department_codes, name
