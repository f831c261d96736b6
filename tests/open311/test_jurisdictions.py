"""One deployment serving several jurisdictions: a county with its own services and two towns'.

With at most one active jurisdiction nothing changes; with several, every call names one and
sees only that jurisdiction's services, boundary and requests.
"""

import json
import re
from io import StringIO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from civicdesk.cases.choices import NoteVisibility
from civicdesk.cases.models import Case
from civicdesk.cases.services.workflow import case_note_add
from civicdesk.catalog.models import ServiceType
from civicdesk.core.revisions import CATALOG, revision_bump
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.services import area_import_geojson
from civicdesk.open311.checks import jurisdiction_id_check
from civicdesk.open311.jurisdictions import jurisdiction_cache_clear
from civicdesk.open311.models import BatchSubmission, Jurisdiction
from civicdesk.open311.public_cache import public_cache_clear
from civicdesk.open311.services import batch_submission_process, jurisdiction_save
from tests.open311.test_post_support import (
    BASE,
    CITY_HALL,
    body,
    errors,
    new_key,
    post,
    pothole_form,
)
from tests.open311.test_tokens import bulk_form
from tests.open311.wire import get_json, get_xml, validate

FORMATS = ["json", "xml"]
TOWN_A = "town-a.gov"
TOWN_B = "town-b.gov"
# City Hall is in Town A, and in the county around both towns.
TOWN_B_POINT = ("42.31", "-71.09")
COUNTY_ONLY_POINT = ("42.42", "-71.0")
READS = ["services", "services/pothole", "requests", "requests/26-000001", "tokens/abc"]
READS += ["servicerequestupdates"]


def county_id() -> str:
    return str(settings.CIVICDESK_JURISDICTION_ID)


def _square(code: str, name: str, min_lat: float, min_long: float, max_lat: float, max_long: float):
    ring = [
        [min_long, min_lat],
        [max_long, min_lat],
        [max_long, max_lat],
        [min_long, max_lat],
        [min_long, min_lat],
    ]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    # Tests that commit end with a table flush, which no write signal reports; a server never
    # sees one.
    jurisdiction_cache_clear()
    public_cache_clear()


@pytest.fixture
def boundaries(db):
    area_import_geojson(
        data={
            "type": "FeatureCollection",
            "features": [
                _square("county", "Suffolk County", 42.2, -71.2, 42.5, -70.9),
                _square("town-a", "Town A", 42.35, -71.07, 42.37, -71.05),
                _square("town-b", "Town B", 42.30, -71.10, 42.32, -71.08),
            ],
        },
        kind=AreaKind.JURISDICTION,
        code_property="code",
        name_property="name",
    )


@pytest.fixture
def several(demo_catalog, boundaries):
    """The county (the deployment's own id) and two towns, each with its services and outline."""
    jurisdiction_save(
        jurisdiction_id=county_id(),
        name="Suffolk County",
        boundary_code="county",
        service_codes=["pothole", "graffiti-removal", "bulk-item-pickup"],
    )
    jurisdiction_save(
        jurisdiction_id=TOWN_A,
        name="Town A",
        boundary_code="town-a",
        service_codes=["pothole", "bulk-item-pickup"],
    )
    jurisdiction_save(
        jurisdiction_id=TOWN_B,
        name="Town B",
        boundary_code="town-b",
        service_codes=["graffiti-removal"],
    )


@pytest.fixture
def key(demo_catalog):
    return new_key()


def codes(client, jurisdiction_id):
    services = get_json(client, "services", {"jurisdiction_id": jurisdiction_id}, schema="services")
    return {service["service_code"] for service in services}


def ids(client, path, jurisdiction_id, **params):
    records = get_json(
        client, path, {"jurisdiction_id": jurisdiction_id, **params}, schema="requests"
    )
    return {record["service_request_id"] for record in records}


def created(response, fmt):
    assert response.status_code == 201, response.content
    [answer] = body(response, fmt)
    return Case.objects.get(reference=answer["service_request_id"])


def graffiti_form(key, at=CITY_HALL, **overrides):
    fields = {
        "api_key": key,
        "service_code": "graffiti-removal",
        "lat": at[0],
        "long": at[1],
        "description": "Tag on the wall.",
    }
    fields.update(overrides)
    return [(name, value) for name, value in fields.items() if value is not None]


# --- one jurisdiction: as before ---------------------------------------------------------------


@pytest.mark.django_db
def test_without_rows_the_id_is_optional_and_discovery_is_plain(client, demo_catalog):
    everything = codes(client, "")
    assert "pothole" in everything
    assert codes(client, county_id()) == everything
    get_json(client, "services", {"jurisdiction_id": TOWN_A}, schema="errors", status=404)
    assert "jurisdictions" not in get_json(client, "discovery", schema="discovery")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_one_active_row_changes_nothing_but_the_ids_accepted(client, key, boundaries, fmt):
    everything = codes(client, "")
    jurisdiction_save(
        jurisdiction_id=TOWN_A, name="Town A", boundary_code="town-a", service_codes=["pothole"]
    )
    jurisdiction_save(jurisdiction_id=TOWN_B, name="Town B", is_active=False)

    assert codes(client, "") == codes(client, TOWN_A) == codes(client, county_id()) == everything
    [message] = errors(client.get(f"{BASE}services.{fmt}", {"jurisdiction_id": TOWN_B}), fmt, 404)
    assert TOWN_B in message
    # Neither the row's services nor its boundary apply while it is the only one.
    case = created(post(client, fmt, graffiti_form(key, at=COUNTY_ONLY_POINT)), fmt)
    assert case.jurisdiction == county_id()
    assert "jurisdictions" not in get_json(client, "discovery", schema="discovery")


# --- several: every call names one ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", READS)
def test_every_read_needs_a_jurisdiction_id_and_names_the_ids_served(client, several, path, fmt):
    for params in ({}, {"jurisdiction_id": ""}, {"jurisdiction_id": "  "}):
        response = client.get(f"{BASE}{path}.{fmt}", params)
        [message] = errors(response, fmt, 400)
        assert message.startswith("jurisdiction_id: this server serves several jurisdictions")
        for served in (county_id(), TOWN_A, TOWN_B):
            assert f"'{served}'" in message
        if fmt == "json":
            validate(json.loads(response.content), "errors")
        assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_without_a_jurisdiction_is_400_and_writes_nothing(client, several, key, fmt):
    for extra in ([], [("jurisdiction_id", "")]):
        [message] = errors(post(client, fmt, [*pothole_form(key), *extra]), fmt, 400)
        assert TOWN_A in message and TOWN_B in message
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_inactive_and_doubled_ids(client, several, key, fmt):
    jurisdiction_save(jurisdiction_id="old-town.gov", name="Old Town", is_active=False)
    for unknown in ("elsewhere.gov", "old-town.gov", "\x00"):
        for path in READS:
            response = client.get(f"{BASE}{path}.{fmt}", {"jurisdiction_id": unknown})
            [message] = errors(response, fmt, 404)
            assert "is not served here" in message
        errors(post(client, fmt, [*pothole_form(key), ("jurisdiction_id", unknown)]), fmt, 404)
    doubled = {"jurisdiction_id": [TOWN_A, TOWN_B]}
    [message] = errors(client.get(f"{BASE}services.{fmt}", doubled), fmt, 400)
    assert message == "jurisdiction_id: give this parameter once."
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_every_jurisdiction_or_the_one_named(client, several, fmt):
    if fmt == "json":
        listed = get_json(client, "discovery", schema="discovery")["jurisdictions"]
        named = get_json(client, "discovery", {"jurisdiction_id": TOWN_B}, schema="discovery")
        assert named["jurisdictions"] == [{"jurisdiction_id": TOWN_B, "name": "Town B"}]
        assert named["contact"].startswith("Town B:")
    else:
        root = get_xml(client, "discovery", root="discovery")
        listed = [
            {"jurisdiction_id": item.findtext("jurisdiction_id"), "name": item.findtext("name")}
            for item in root.findall("jurisdictions/jurisdiction")
        ]
    assert [item["jurisdiction_id"] for item in listed] == sorted([county_id(), TOWN_A, TOWN_B])
    assert {item["name"] for item in listed} == {"Suffolk County", "Town A", "Town B"}
    errors(client.get(f"{BASE}discovery.{fmt}", {"jurisdiction_id": "x.gov"}), fmt, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_jurisdiction_lists_and_defines_only_its_services(client, several, fmt):
    assert codes(client, TOWN_A) == {"pothole", "bulk-item-pickup"}
    assert codes(client, TOWN_B) == {"graffiti-removal"}
    assert codes(client, county_id()) == {"pothole", "graffiti-removal", "bulk-item-pickup"}
    root = get_xml(client, "services", {"jurisdiction_id": TOWN_B}, root="services", item="service")
    assert [item.findtext("service_code") for item in root] == ["graffiti-removal"]

    defined = client.get(f"{BASE}services/pothole.{fmt}", {"jurisdiction_id": TOWN_A})
    assert defined.status_code == 200
    [message] = errors(
        client.get(f"{BASE}services/pothole.{fmt}", {"jurisdiction_id": TOWN_B}), fmt, 404
    )
    assert message == "No service has the code 'pothole' in Town B."


# --- several: creating requests -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_records_its_jurisdiction(client, several, key, fmt):
    in_town = created(post(client, fmt, [*pothole_form(key), ("jurisdiction_id", TOWN_A)]), fmt)
    assert in_town.jurisdiction == TOWN_A
    # The county's boundary holds the towns: county services are requested there too.
    county = created(
        post(client, fmt, [*graffiti_form(key), ("jurisdiction_id", county_id())]), fmt
    )
    assert county.jurisdiction == county_id()
    # Located by address alone, a request cannot be placed, so the boundary does not refuse it.
    by_address = graffiti_form(key, lat=None, long=None, address_string="1 Main St")
    located = created(post(client, fmt, [*by_address, ("jurisdiction_id", TOWN_B)]), fmt)
    assert located.jurisdiction == TOWN_B


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_the_jurisdiction_does_not_offer_is_404(client, several, key, fmt):
    response = post(client, fmt, [*pothole_form(key), ("jurisdiction_id", TOWN_B)])
    [message] = errors(response, fmt, 404)
    assert message.startswith("service_code 'pothole': not offered in Town B")
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_location_outside_the_boundary_is_400_naming_where_it_is(client, several, key, fmt):
    response = post(client, fmt, [*graffiti_form(key), ("jurisdiction_id", TOWN_B)])
    [message] = errors(response, fmt, 400)
    assert message == (
        f"lat: this location is outside Town B; it is in Town A (jurisdiction_id '{TOWN_A}'), "
        f"Suffolk County (jurisdiction_id '{county_id()}')."
    )
    elsewhere = graffiti_form(key, at=("42.45", "-70.95"), service_code="pothole")
    [message] = errors(post(client, fmt, [*elsewhere, ("jurisdiction_id", TOWN_A)]), fmt, 400)
    assert message.startswith("lat: this location is outside Town A; it is in Suffolk County")
    inside = graffiti_form(key, at=TOWN_B_POINT)
    assert created(post(client, fmt, [*inside, ("jurisdiction_id", TOWN_B)]), fmt)
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_batch_token_belongs_to_its_jurisdiction(client, several, key):
    response = post(client, "json", [*bulk_form(key), ("jurisdiction_id", TOWN_A)])
    assert response.status_code == 201, response.content
    token = response.json()[0]["token"]
    url = f"{BASE}tokens/{token}.json"

    errors(client.get(url, {"jurisdiction_id": county_id()}), "json", 404)
    assert client.get(url, {"jurisdiction_id": TOWN_A}).status_code == 200

    batch = batch_submission_process(batch_id=BatchSubmission.objects.get(token=token).pk)
    assert batch is not None and batch.case is not None
    assert batch.case.jurisdiction == TOWN_A
    [done] = client.get(url, {"jurisdiction_id": TOWN_A}).json()
    assert done["service_request_id"] == batch.case.reference


@pytest.mark.django_db
def test_an_idempotency_key_cannot_replay_into_another_jurisdiction(client, several, key):
    form = pothole_form(key)
    first = post(client, "json", [*form, ("jurisdiction_id", TOWN_A)], HTTP_IDEMPOTENCY_KEY="k1")
    again = post(client, "json", [*form, ("jurisdiction_id", TOWN_A)], HTTP_IDEMPOTENCY_KEY="k1")
    other = post(
        client, "json", [*form, ("jurisdiction_id", county_id())], HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    [message] = errors(other, "json", 422)
    assert message.startswith("Idempotency-Key:")
    assert Case.objects.count() == 1


# --- several: each sees only its own requests -------------------------------------------------


@pytest.fixture
def three_requests(client, several, key, make_case):
    """One request in each jurisdiction, each with a public note; the county's from another
    channel, which records the deployment's own id."""
    town_a = created(
        post(client, "json", [*pothole_form(key), ("jurisdiction_id", TOWN_A)]), "json"
    )
    inside_b = graffiti_form(key, at=TOWN_B_POINT)
    town_b = created(post(client, "json", [*inside_b, ("jurisdiction_id", TOWN_B)]), "json")
    county = make_case(service_code="graffiti-removal", attributes={})
    for case in (town_a, town_b, county):
        case_note_add(
            case=case, body=f"Crew sent ({case.reference}).", visibility=NoteVisibility.PUBLIC
        )
    return {TOWN_A: town_a, TOWN_B: town_b, county_id(): county}


@pytest.mark.django_db
def test_lists_details_and_updates_show_only_the_jurisdictions_own(client, three_requests):
    assert three_requests[county_id()].jurisdiction == county_id()
    for jurisdiction_id, case in three_requests.items():
        others = [other for other in three_requests.values() if other != case]
        assert ids(client, "requests", jurisdiction_id) == {case.reference}
        assert ids(client, "requests", jurisdiction_id, extensions="true") == {case.reference}
        every_id = ",".join(item.reference for item in three_requests.values())
        assert ids(client, "requests", jurisdiction_id, service_request_id=every_id) == {
            case.reference
        }
        own = get_json(
            client,
            f"requests/{case.reference}",
            {"jurisdiction_id": jurisdiction_id},
            schema="requests",
        )
        assert own[0]["service_request_id"] == case.reference
        for other in others:
            for fmt in FORMATS:
                response = client.get(
                    f"{BASE}requests/{other.reference}.{fmt}", {"jurisdiction_id": jurisdiction_id}
                )
                errors(response, fmt, 404)
        updates = get_json(
            client,
            "servicerequestupdates",
            {"jurisdiction_id": jurisdiction_id},
            schema="request-updates",
        )
        assert {update["service_request_id"] for update in updates} == {case.reference}


@pytest.mark.django_db
def test_xml_lists_are_filtered_too(client, three_requests):
    root = get_xml(
        client,
        "requests",
        {"jurisdiction_id": TOWN_B},
        root="service_requests",
        item="request",
    )
    assert [item.findtext("service_request_id") for item in root] == [
        three_requests[TOWN_B].reference
    ]


# --- the per-process snapshot -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_trace(client, demo_catalog):
    assert codes(client, "")
    with pytest.raises(RuntimeError), transaction.atomic():
        jurisdiction_save(jurisdiction_id=TOWN_A, name="Town A")
        jurisdiction_save(jurisdiction_id=TOWN_B, name="Town B")
        get_json(client, "services", schema="errors", status=400)
        raise RuntimeError("undo")
    assert codes(client, "")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("count", [1, 3])
def test_no_request_reads_the_jurisdiction_table(client, demo_catalog, boundaries, settings, count):
    settings.CIVICDESK_PUBLIC_CACHE_SECONDS = 0
    settings.CIVICDESK_CATALOG_CACHE_CHECK_SECONDS = 3600
    for number, jurisdiction_id in enumerate([county_id(), TOWN_A, TOWN_B][:count]):
        jurisdiction_save(
            jurisdiction_id=jurisdiction_id,
            name=f"Place {number}",
            boundary_code="town-a" if jurisdiction_id == TOWN_A else "",
            service_codes=["pothole"],
        )
    key = new_key()
    form = [*pothole_form(key), ("jurisdiction_id", TOWN_A if count > 1 else "")]
    params = {"jurisdiction_id": TOWN_A} if count > 1 else {}
    # The first calls check the jurisdictions (and the catalog, and the key) once.
    assert client.get(f"{BASE}services.json", params).status_code == 200
    assert post(client, "json", form).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert post(client, "json", form).status_code == 201
        assert client.get(f"{BASE}requests.json", params).status_code == 200
        assert client.get(f"{BASE}services/pothole.xml", params).status_code == 200
        assert client.get(f"{BASE}servicerequestupdates.json", params).status_code == 200
    read = [query["sql"] for query in queries if "open311_jurisdiction" in query["sql"]]
    assert read == []
    assert not any(
        "core_datarevision" in query["sql"] and "SELECT" in query["sql"] for query in queries
    )


@pytest.mark.django_db(transaction=True)
def test_a_change_made_elsewhere_reaches_this_process(client, several, settings):
    settings.CIVICDESK_CATALOG_CACHE_CHECK_SECONDS = 3600
    assert codes(client, TOWN_B) == {"graffiti-removal"}
    # As another process's write would: rows changed and the catalog revision moved, with
    # nothing in this process told.
    Jurisdiction.objects.filter(jurisdiction_id=TOWN_B).update(is_active=False)
    with transaction.atomic():
        revision_bump(CATALOG)
    # A stored public read checks the revision on every call, and the snapshot with it.
    get_json(client, "services", {"jurisdiction_id": TOWN_B}, schema="errors", status=404)
    settings.CIVICDESK_CATALOG_CACHE_CHECK_SECONDS = 0
    listed = get_json(client, "discovery", schema="discovery")["jurisdictions"]
    assert TOWN_B not in {item["jurisdiction_id"] for item in listed}


@pytest.mark.django_db(transaction=True)
def test_stored_public_answers_follow_jurisdiction_changes(client, demo_catalog, boundaries):
    alone = client.get(f"{BASE}services.json")
    assert alone.status_code == 200
    assert client.get(f"{BASE}services.json").content == alone.content  # stored

    jurisdiction_save(jurisdiction_id=TOWN_A, name="Town A", service_codes=["pothole"])
    jurisdiction_save(jurisdiction_id=TOWN_B, name="Town B", service_codes=["graffiti-removal"])
    get_json(client, "services", schema="errors", status=400)
    assert codes(client, TOWN_A) == {"pothole"}
    assert codes(client, TOWN_B) == {"graffiti-removal"}
    assert codes(client, TOWN_A) == {"pothole"}  # each URL its own stored answer

    jurisdiction_save(jurisdiction_id=TOWN_A, service_codes=["pothole", "graffiti-removal"])
    assert codes(client, TOWN_A) == {"pothole", "graffiti-removal"}
    jurisdiction_save(jurisdiction_id=TOWN_B, is_active=False)
    assert client.get(f"{BASE}services.json").content == alone.content


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.lists(
        st.one_of(st.sampled_from([TOWN_A, TOWN_B, "", " "]), st.text(max_size=30)), max_size=3
    ),
    fmt=st.sampled_from(FORMATS),
)
def test_any_jurisdiction_id_gets_an_answer_in_format(client, several, values, fmt):
    query = "&".join(f"jurisdiction_id={quote(value, safe='')}" for value in values)
    response = client.get(f"{BASE}services.{fmt}?{query}")
    named = {value.strip() for value in values if value.strip()}
    expected = {frozenset({TOWN_A}): 200, frozenset({TOWN_B}): 200}.get(frozenset(named))
    if expected is None:
        expected = 400 if len(named) != 1 else 404
    assert response.status_code == expected, (values, response.content)
    assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")


@pytest.mark.django_db
def test_an_admin_edit_reaches_the_open311_answers(admin_client, several):
    town_b = Jurisdiction.objects.get(jurisdiction_id=TOWN_B)
    assert codes(admin_client, TOWN_B) == {"graffiti-removal"}
    changelist = admin_client.get(reverse("admin:open311_jurisdiction_changelist"))
    assert changelist.status_code == 200
    assert "Suffolk County" in changelist.content.decode()

    offered = ServiceType.objects.filter(code__in=["graffiti-removal", "pothole"])
    response = admin_client.post(
        reverse("admin:open311_jurisdiction_change", args=[town_b.pk]),
        {
            "jurisdiction_id": TOWN_B,
            "name": "Town B",
            "is_active": "on",
            "boundary": str(town_b.boundary_id),
            "services": [str(service.pk) for service in offered],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert codes(admin_client, TOWN_B) == {"graffiti-removal", "pothole"}

    district = _square("d1", "Downtown District", 42.35, -71.07, 42.37, -71.05)
    area_import_geojson(
        data={"type": "FeatureCollection", "features": [district]},
        kind=AreaKind.DISTRICT,
        code_property="code",
        name_property="name",
    )
    form = admin_client.get(reverse("admin:open311_jurisdiction_add")).content.decode()
    assert "Suffolk County" in form  # outlines of the kind jurisdiction are offered
    assert "Downtown District" not in form


# --- the command -----------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("jurisdiction", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_command_adds_changes_lists_and_removes(client, demo_catalog, boundaries):
    _out, err = run(
        "add",
        TOWN_A,
        "--name",
        "Town A",
        "--boundary",
        "town-a",
        "--services",
        "pothole, graffiti-removal",
    )
    assert f"Added {TOWN_A}" in err
    assert "One jurisdiction served" in err
    _out, err = run("add", county_id(), "--name", "Suffolk County", "--all-services")
    assert "2 jurisdictions: every Open311 call must name one" in err
    assert "Warning" not in err
    assert codes(client, TOWN_A) == {"pothole", "graffiti-removal"}

    run("add", TOWN_A, "--services", "pothole", "--boundary", "")
    town = Jurisdiction.objects.get(jurisdiction_id=TOWN_A)
    assert (town.name, town.boundary) == ("Town A", None)
    assert codes(client, TOWN_A) == {"pothole"}

    out, _err = run("list")
    lines = out.splitlines()
    assert lines[1] == f"{TOWN_A}\tTown A\tactive\tno boundary\tservices: 1"
    assert lines[0].startswith(f"{county_id()}\tSuffolk County\tactive\tno boundary\t")

    _out, err = run("add", county_id(), "--no-active")
    assert "One jurisdiction served" in err
    run("add", county_id(), "--active")
    _out, err = run("remove", county_id())
    assert f"Removed {county_id()}" in err
    assert list(Jurisdiction.objects.values_list("jurisdiction_id", flat=True)) == [TOWN_A]


@pytest.mark.django_db
def test_the_command_warns_when_the_default_is_not_served(demo_catalog):
    run("add", TOWN_A, "--name", "Town A")
    _out, err = run("add", TOWN_B, "--name", "Town B")
    assert f"Warning: none is '{county_id()}'" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["add", TOWN_A], "name: This field cannot be blank."),
        (["add", "not a slug", "--name", "X"], "jurisdiction_id: Use letters, digits"),
        (["add", TOWN_A, "--name", "A", "--boundary", "nowhere"], "boundary: No jurisdiction"),
        (["add", TOWN_A, "--name", "A", "--services", "pothole,nope"], "'nope'"),
        (["remove", "nobody.gov"], "No jurisdiction has the id 'nobody.gov'."),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(demo_catalog, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)
    assert not Jurisdiction.objects.exists()


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("springfield.gov", []),
        ("Boston MA", ["civicdesk.open311.W001"]),
        ("x" * 101, ["civicdesk.open311.E001"]),
        ("", ["civicdesk.open311.E001"]),
    ],
)
def test_the_deployments_own_id_is_checked_at_start_up(settings, value, found):
    settings.CIVICDESK_JURISDICTION_ID = value
    assert [message.id for message in jurisdiction_id_check(None)] == found
