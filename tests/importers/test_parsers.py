"""The row parsers and the mapping, without the database."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicdesk.cases.choices import CaseStatus
from civicdesk.catalog.models import Department, ServiceType
from civicdesk.intake.importers import (
    MappingError,
    ResolvedMapping,
    RowError,
    mapping_parse,
    nyc311_row_parse,
    nyc_datetime_parse,
    open311_row_parse,
)
from civicdesk.intake.importers.nyc311 import (
    SNAKE_STYLE,
    TITLE_STYLE,
    nyc_column,
    nyc_column_style,
)

BOSTON = ZoneInfo("America/New_York")


def resolved(data: dict[str, object]) -> ResolvedMapping:
    """A mapping resolved against unsaved catalog rows: the parsers never touch the database."""
    mapping = mapping_parse(data=data)
    service_codes, department_codes = mapping.codes()
    fallback = Department(code="constituent-services", name="Constituent services")
    return ResolvedMapping(
        mapping=mapping,
        service_types={
            code: ServiceType(code=code, name=code, default_department=fallback)
            for code in service_codes
            if code != "not-in-catalog"
        },
        departments={code: Department(code=code, name=code) for code in department_codes},
    )


NYC_MAPPING = resolved(
    {
        "service_types": {
            "Noise - Residential": "noise-residential",
            "Street Condition": {
                "service_type": "general-request",
                "descriptors": {"Pothole": "pothole"},
            },
            "Missed Collection": {"descriptors": {"Trash": "missed-trash"}},
            "Ghost": "not-in-catalog",
        },
        "departments": {"NYPD": "police-nonemergency"},
    }
)
OPEN311_MAPPING = resolved(
    {
        "service_types": {
            "4f389210e75084437f0001e5": "illegal-parking",
            "Other": "general-request",
        },
        "departments": {"Public Works Department": "public-works"},
    }
)


def nyc_row(**overrides: str) -> dict[str, str]:
    row = {
        "unique_key": "54046813",
        "created_date": "05/01/2022 12:00:09 AM",
        "closed_date": "05/01/2022 12:07:46 AM",
        "agency": "NYPD",
        "complaint_type": "Noise - Residential",
        "descriptor": "Loud Music/Party",
        "incident_zip": "10027",
        "incident_address": "364 WEST  127 STREET",
        "city": "NEW YORK",
        "status": "Closed",
        "resolution_description": "The Police Department responded.",
        "resolution_action_updated_date": "05/01/2022 12:07:53 AM",
        "open_data_channel_type": "MOBILE",
        "latitude": "40.81237834836466",
        "longitude": "-73.95240115039357",
    }
    row.update(overrides)
    return row


def open311_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "service_request_id": "101002296813",
        "service_name": "Illegal Parking",
        "service_code": "4f389210e75084437f0001e5",
        "description": "Car without resident parking sticker.",
        "status": "closed",
        "status_notes": "Case Noted. area tagged.",
        "requested_datetime": "2017-12-31T18:47:35-05:00",
        "updated_datetime": "2018-01-02T21:43:21-05:00",
        "address": "1940 Commonwealth Ave, Brighton",
        "lat": 42.338554,
        "long": -71.155487,
        "media_url": "https://311.boston.gov/media/boston/report/photos/x/photo.jpg",
    }
    row.update(overrides)
    return row


def reason_of(parse, row) -> str:
    with pytest.raises(RowError) as caught:
        parse(row)
    return caught.value.reason


def parse_nyc(row):
    return nyc311_row_parse(row=row, mapping=NYC_MAPPING, source="nyc311")


def parse_open311(row):
    return open311_row_parse(row=row, mapping=OPEN311_MAPPING, source="boston", naive_zone=BOSTON)


# --- NYC dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/01/2022 12:00:00 AM", datetime(2022, 5, 1, 4, 0, tzinfo=UTC)),
        ("05/01/2022 12:07:46 PM", datetime(2022, 5, 1, 16, 7, 46, tzinfo=UTC)),
        ("02/28/2023 01:00:00 PM", datetime(2023, 2, 28, 18, 0, tzinfo=UTC)),  # EST
        ("2021-09-21T00:00:00.000", datetime(2021, 9, 21, 4, 0, tzinfo=UTC)),
        ("2021-09-21T04:45:18Z", datetime(2021, 9, 21, 4, 45, 18, tzinfo=UTC)),
        ("2021-09-21T00:45:18-04:00", datetime(2021, 9, 21, 4, 45, 18, tzinfo=UTC)),
    ],
)
def test_nyc_dates_become_aware_utc(text, expected):
    parsed = nyc_datetime_parse(text, field="created_date")
    assert parsed == expected
    assert parsed.utcoffset() is not None


@pytest.mark.parametrize("text", ["", "yesterday", "13/45/2022 12:00:00 AM", "2021-02-30T00:00"])
def test_nyc_bad_dates_are_row_errors(text):
    with pytest.raises(RowError) as caught:
        nyc_datetime_parse(text, field="created_date")
    assert caught.value.field == "created_date"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_nyc_date_parser_raises_only_row_errors(text):
    try:
        parsed = nyc_datetime_parse(text, field="created_date")
    except RowError:
        return
    assert parsed.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.none()
    )
)
def test_nyc_portal_format_round_trips(moment):
    moment = moment.replace(microsecond=0)
    text = moment.strftime("%m/%d/%Y %I:%M:%S %p")
    parsed = nyc_datetime_parse(text, field="created_date")
    assert parsed == moment.replace(tzinfo=ZoneInfo("America/New_York"))


# --- NYC rows --------------------------------------------------------------------------------


def test_nyc_columns_fold_to_one_shape():
    assert nyc_column("Resolution Action Updated Date") == "resolution_action_updated_date"
    assert nyc_column("\ufeffUnique Key") == "unique_key"
    assert nyc_column_style(["Unique Key", "Created Date"]) == TITLE_STYLE
    assert nyc_column_style(["unique_key", "created_date"]) == SNAKE_STYLE
    with pytest.raises(ValueError, match="not an NYC 311 file"):
        nyc_column_style(["service_request_id", "requested_datetime"])


def test_nyc_row_becomes_a_record():
    record = parse_nyc(nyc_row())
    assert record.external_id == "54046813"
    assert record.service_type.code == "noise-residential"
    assert record.department is not None
    assert record.department.code == "police-nonemergency"
    assert record.status == CaseStatus.CLOSED
    assert record.requested_at == datetime(2022, 5, 1, 4, 0, 9, tzinfo=UTC)
    assert record.closed_at == datetime(2022, 5, 1, 4, 7, 46, tzinfo=UTC)
    assert record.status_notes == "The Police Department responded."
    assert record.location.address == "364 WEST  127 STREET, NEW YORK"
    assert record.location.zipcode == "10027"
    assert record.location.lat == pytest.approx(40.81237834836466)
    assert record.location.district is None
    assert record.attributes == {
        "source_category": "Noise - Residential",
        "source_descriptor": "Loud Music/Party",
        "source_agency": "NYPD",
        "source_channel": "MOBILE",
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Open", CaseStatus.OPEN),
        ("Pending", CaseStatus.OPEN),
        ("In Progress", CaseStatus.IN_PROGRESS),
        ("Assigned", CaseStatus.IN_PROGRESS),
        ("Started", CaseStatus.IN_PROGRESS),
        ("CLOSED", CaseStatus.CLOSED),
    ],
)
def test_nyc_statuses(status, expected):
    assert parse_nyc(nyc_row(status=status)).status == expected


def test_nyc_placeholder_close_date_of_an_open_request_is_ignored():
    record = parse_nyc(nyc_row(status="In Progress", closed_date="1900-01-01T00:00:00Z"))
    assert record.status == CaseStatus.IN_PROGRESS
    assert record.closed_at is None


def test_nyc_descriptor_refines_the_category():
    assert parse_nyc(nyc_row(complaint_type="Street Condition", descriptor="Pothole"))
    pothole = parse_nyc(nyc_row(complaint_type="STREET  condition", descriptor="pothole"))
    assert pothole.service_type.code == "pothole"
    other = parse_nyc(nyc_row(complaint_type="Street Condition", descriptor="Cave-in"))
    assert other.service_type.code == "general-request"
    trash = parse_nyc(nyc_row(complaint_type="Missed Collection", descriptor="Trash"))
    assert trash.service_type.code == "missed-trash"


def test_nyc_agency_without_a_department_keeps_the_service_default():
    assert parse_nyc(nyc_row(agency="HPD")).department is None


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"unique_key": ""}, "missing unique key"),
        ({"complaint_type": "NA"}, "missing complaint type"),
        ({"created_date": ""}, "missing created date"),
        ({"created_date": "soon"}, "created_date is not a date and time"),
        ({"closed_date": "04/30/2022 11:00:00 PM"}, "closed before opened"),
        ({"status": "Draft"}, "unknown status 'Draft'"),
        ({"complaint_type": "Taxi Complaint"}, "unmapped category 'Taxi Complaint'"),
        (
            {"complaint_type": "Missed Collection", "descriptor": "Bulky Trash"},
            "unmapped category 'Missed Collection'",
        ),
        ({"complaint_type": "Ghost"}, "service type 'not-in-catalog' is not in the catalog"),
        ({"longitude": ""}, "latitude without longitude"),
        ({"latitude": "NA"}, "longitude without latitude"),
        ({"latitude": "north"}, "latitude is not a number"),
        ({"latitude": "91"}, "latitude is out of range"),
        ({"longitude": "nan"}, "longitude is out of range"),
        ({"incident_address": "x" * 400}, "address longer than 300 characters"),
        ({"unique_key": "1\x002"}, "contains a NUL character"),
    ],
)
def test_nyc_bad_rows(overrides, reason):
    assert reason_of(parse_nyc, nyc_row(**overrides)) == reason


NYC_KEYS = [*nyc_row(), "intersection_street_1", "intersection_street_2", "bogus"]
NYC_LIKE_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "NA", "Closed", "Open", "Noise - Residential", "Street Condition"]),
    st.sampled_from(["05/01/2022 12:00:00 AM", "2021-09-21T00:00:00.000", "9999-12-31T23:59"]),
    st.sampled_from(["0001-01-01T00:00", "40.7", "-73.9", "1e400", "-0", "inf"]),
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(NYC_KEYS), NYC_LIKE_VALUES))
def test_nyc_row_parser_raises_only_row_errors(row):
    try:
        record = parse_nyc(row)
    except RowError as error:
        assert error.reason
        return
    assert record.requested_at.tzinfo is not None
    if record.closed_at is not None:
        assert record.closed_at >= record.requested_at


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(NYC_KEYS), NYC_LIKE_VALUES).map(lambda r: nyc_row(**r)))
def test_nyc_row_parser_on_mostly_valid_rows(row):
    try:
        parse_nyc(row)
    except RowError as error:
        assert error.reason


# --- Open311 rows ----------------------------------------------------------------------------


def test_open311_row_becomes_a_record():
    record = parse_open311(open311_row())
    assert record.source == "boston"
    assert record.service_type.code == "illegal-parking"
    assert record.status == CaseStatus.CLOSED
    assert record.requested_at == datetime(2017, 12, 31, 23, 47, 35, tzinfo=UTC)
    assert record.updated_at == datetime(2018, 1, 3, 2, 43, 21, tzinfo=UTC)
    assert record.status_notes == "Case Noted. area tagged."
    assert record.location.lat == pytest.approx(42.338554)
    assert record.media_url.startswith("https://311.boston.gov/")
    assert record.attributes == {"source_category": "Illegal Parking"}


def test_open311_matches_the_code_first_then_the_name():
    by_name = parse_open311(open311_row(service_code="unknown", service_name="Other"))
    assert by_name.service_type.code == "general-request"


def test_open311_numbers_and_nulls_are_accepted():
    record = parse_open311(
        open311_row(service_request_id=101, lat=None, long=None, media_url=None, status="OPEN")
    )
    assert record.external_id == "101"
    assert record.location.lat is None
    assert record.status == CaseStatus.OPEN


def test_open311_update_a_little_before_the_request_of_an_open_request_is_no_update():
    record = parse_open311(
        open311_row(
            status="open",
            requested_datetime="2017-12-31T11:38:48-05:00",
            updated_datetime="2017-12-31T11:38:00-05:00",
        )
    )
    assert record.updated_at is None


def test_open311_naive_times_are_read_in_the_jurisdiction_zone():
    record = parse_open311(open311_row(requested_datetime="2017-07-01T12:00:00"))
    assert record.requested_at == datetime(2017, 7, 1, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"service_request_id": None}, "missing service_request_id"),
        ({"service_code": "", "service_name": ""}, "missing service_code and service_name"),
        ({"service_code": "x", "service_name": "Snow"}, "unmapped category 'Snow'"),
        ({"requested_datetime": "31/12/2017"}, "requested_datetime is not a date and time"),
        ({"updated_datetime": "2017-12-30T00:00:00-05:00"}, "closed before opened"),
        ({"status": "archived"}, "unknown status 'archived'"),
        ({"long": ""}, "lat without long"),
        ({"lat": ""}, "long without lat"),
        ({"lat": [42]}, "lat is not a single value"),
        ({"description": "x" * 4001}, "description longer than 4,000 characters"),
        ({"media_url": "javascript:alert(1)"}, "media_url is not a web address"),
        ({"agency_responsible": "Elsewhere"}, None),
    ],
)
def test_open311_bad_rows(overrides, reason):
    if reason is None:
        assert parse_open311(open311_row(**overrides)).department is None
    else:
        assert reason_of(parse_open311, open311_row(**overrides)) == reason


def test_open311_description_of_exactly_4000_characters_is_kept():
    assert len(parse_open311(open311_row(description="x" * 4000)).description) == 4000


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=30),
        st.sampled_from(["closed", "open", "Other", "2017-12-31T18:47:35-05:00", "42.3"]),
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=5,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from([*open311_row(), "zipcode"]), JSON_VALUES))
def test_open311_row_parser_raises_only_row_errors(row):
    try:
        parse_open311(row)
    except RowError as error:
        assert error.reason


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(list(open311_row())), JSON_VALUES))
def test_open311_row_parser_on_mostly_valid_rows(overrides):
    try:
        parse_open311(open311_row(**overrides))
    except RowError as error:
        assert error.reason


# --- mapping files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping"),
        ({"service_types": {}}, "'service_types' must map"),
        ({"service_types": {"A": "a"}, "colour": 1}, "unknown key"),
        ({"service_types": {"A": "a", "a": "b"}}, "listed twice"),
        ({"service_types": {"A": 3}}, "give a code"),
        ({"service_types": {"A": {"service_type": 3}}}, "expected a code"),
        ({"service_types": {"A": {"descriptors": ["x"]}}}, "'descriptors' must map"),
        ({"service_types": {"A": "a"}, "format": "xml"}, "format must be one of"),
        ({"service_types": {"A": "a"}, "departments": ["x"]}, "'departments' must map"),
    ],
)
def test_bad_mapping_documents(data, message):
    with pytest.raises(MappingError, match=message):
        mapping_parse(data=data)


def test_mapping_default_catches_unlisted_categories():
    mapping = resolved({"service_types": {"A": "a"}, "default": "general-request"})
    record = open311_row_parse(
        row=open311_row(service_code="", service_name="Anything"),
        mapping=mapping,
        source="x",
        naive_zone=BOSTON,
    )
    assert record.service_type.code == "general-request"
