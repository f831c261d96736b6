"""No personal data in any GET, and hostile text that round-trips safely through XML."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civicdesk.cases.choices import CaseStatus, CloseReason, NoteVisibility
from civicdesk.cases.services.workflow import case_note_add, case_transition

from .wire import BASE, get_json, get_xml, parse_xml

pytestmark = pytest.mark.django_db

MARKER_FIRST = "Zephyrine"
MARKER_LAST = "Quackenbush-Marker"
MARKER_EMAIL = "zephyrine.marker@example.org"
MARKER_PHONE = "+16175550199"
MARKER_PHONE_DIGITS = "6175550199"


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_no_personal_data_in_any_get(client, make_case):
    case = make_case(
        first_name=MARKER_FIRST,
        last_name=MARKER_LAST,
        email=MARKER_EMAIL,
        phone="617-555-0199",
        description="Pothole by the bakery.",
    )
    assert case.resident is not None
    assert case.resident.first_name == MARKER_FIRST
    stored = set(case.resident.contact_points.values_list("value", flat=True))
    assert stored == {MARKER_EMAIL, MARKER_PHONE}  # the markers really are in the database
    case_note_add(case=case, body="Called resident back", visibility=NoteVisibility.INTERNAL)
    case_note_add(case=case, body="Crew scheduled.", visibility=NoteVisibility.PUBLIC)
    case_transition(case=case, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    paths = [
        ("requests", {}),
        ("requests", {"extensions": "true"}),
        ("requests", {"service_request_id": case.reference, "extensions": "true"}),
        (f"requests/{case.reference}", {}),
        (f"requests/{case.reference}", {"extensions": "true"}),
        ("servicerequestupdates", {"start_date": since}),
        ("services", {}),
        ("services/pothole", {}),
        ("discovery", {}),
    ]
    seen_reference = 0
    for fmt in ("json", "xml"):
        for path, params in paths:
            response = client.get(f"{BASE}{path}.{fmt}", params)
            assert response.status_code == 200, (path, response.content[:300])
            text = response.content.decode("utf-8")
            seen_reference += case.reference in text
            for marker in (
                MARKER_FIRST,
                MARKER_LAST,
                MARKER_EMAIL,
                MARKER_PHONE,
                MARKER_PHONE_DIGITS,
                "555-0199",
                "Called resident back",
            ):
                assert marker.lower() not in text.lower(), (fmt, path, marker)
    assert seen_reference == 12  # six documents show the case, in each format


HOSTILE = (
    "a < b & c > d \"quoted\" 'single' ]]> <![CDATA[x]]> </description><evil/> &amp; \u00e9\u4e2d"
)
CONTROL = "bell\x07 and escape\x1b and vertical\x0b tab"


def test_hostile_text_round_trips_in_xml_and_json(client, make_case):
    case = make_case(description=HOSTILE, address='<b>1 Main St</b> & "Co"')
    case_note_add(case=case, body=f"{HOSTILE} {CONTROL}", visibility=NoteVisibility.PUBLIC)
    params = {"extensions": "true"}

    (record,) = get_json(client, "requests", params, schema="requests")
    assert record["description"] == HOSTILE
    assert record["notes"][-1]["description"] == f"{HOSTILE} {CONTROL}"

    root = get_xml(client, "requests", params, root="service_requests", item="request")
    request = root.find("request")
    assert request.findtext("description") == HOSTILE
    assert request.findtext("address") == '<b>1 Main St</b> & "Co"'
    assert request.find("evil") is None
    # XML 1.0 cannot carry these control characters at all; they are dropped, not escaped.
    assert request.findall("notes/note")[-1].findtext("description") == (
        f"{HOSTILE} bell and escape and vertical tab"
    )


def test_hostile_attribute_codes_and_values_stay_text(client, make_case):
    case = make_case(
        service_code="street-light-out",
        attributes={"problem": "out", "pole-number": '<pole & "1"> ]]>'},
    )
    body = client.get(f"{BASE}requests/{case.reference}.xml", {"extensions": "true"}).content
    root = parse_xml(body, root="service_requests", item="request")
    values = {
        a.findtext("code"): a.findtext("value")
        for a in root.findall("request/attributes/attribute")
    }
    assert values == {"problem": "out", "pole-number": '<pole & "1"> ]]>'}
    data = json.loads(
        client.get(f"{BASE}requests/{case.reference}.json", {"extensions": "true"}).content
    )
    assert {"code": "pole-number", "value": '<pole & "1"> ]]>'} in data[0]["attributes"]


def test_error_messages_echo_input_safely(client, demo_catalog):
    nasty = "x]]><y>&"
    root = get_xml(client, f"services/{nasty}", root="errors", item="error", status=404)
    assert nasty in root.findtext("error/description")
    response = client.get(f"{BASE}requests.xml", {"status": "<open>&"})
    assert response.status_code == 400
    parse_xml(response.content, root="errors", item="error")
