"""The report flow end to end, as a resident without JavaScript walks it."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import formats

from civicdesk.cases.models import Case
from civicdesk.contacts.choices import Channel
from civicdesk.people.models import ContactPoint

from .pages import assert_no_personal_data, html_lang, page_text
from .report_support import GOOD_DETAILS, SHERIDAN, Flow, jpeg, load_city, make_streetlight, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(tmp_path):
    load_city(tmp_path)


@pytest.fixture
def streetlight(department):
    return make_streetlight(department)


def test_the_start_page_shows_the_documents_to_have_ready_and_a_start_button(client, streetlight):
    text = page_text(client.get("/report/streetlight/"))

    assert "Have these ready" in text
    assert "The number on the pole, if you can see it" in text
    assert text.index("Have these ready") < text.index("Start your report")
    assert 'action="/report/streetlight/start/" class="margin-top-3">' in text


def test_a_report_from_start_to_confirmation_without_javascript(client, city, streetlight):
    flow = Flow(client, "streetlight")

    details = flow.get("details")
    text = page_text(details)
    assert details.status_code == 200
    assert 'Step</span> <span class="usa-step-indicator__current-step">1</span>' in text
    # Each of the six datatypes has its own control; the note is shown, not asked.
    assert 'type="radio" name="attribute-kind" value="dark"' in text
    assert 'type="checkbox" name="attribute-near" value="school"' in text
    assert 'id="attribute-pole" name="attribute-pole"' in text
    assert 'inputmode="decimal"' in text
    assert 'type="datetime-local"' in text
    assert '<textarea class="usa-textarea" id="attribute-notes"' in text
    assert "If wires are hanging down, stay away and call 911." in text
    assert 'name="attribute-danger"' not in text
    assert '<legend class="usa-legend">What is wrong with it?</legend>' in text

    response = flow.details()
    assert response.status_code == 302
    assert response.url == flow.url("location")

    # No JavaScript: find the address, choose it from the list, continue.
    found = flow.post("location", {"address": "Sheridan St", "action": "find"})
    assert found.status_code == 200
    text = page_text(found)
    assert 'type="radio" name="choice" value="25 Sheridan St, Jamaica Plain 02130"' in text
    assert '<legend class="usa-legend">Choose the address</legend>' in text
    chosen = flow.post(
        "location",
        {"address": "Sheridan St", "choice": "25 Sheridan St, Jamaica Plain 02130"},
    )
    assert chosen.status_code == 302
    assert chosen.url == flow.url("photos")

    added = flow.post("photos", {"action": "upload", "photos": [jpeg(), pdf()]})
    assert added.status_code == 302 and added.url == flow.url("photos")
    text = page_text(flow.get("photos"))
    assert "light.jpg" in text and "letter.pdf" in text
    assert flow.photos().url == flow.url("contact")

    contact = flow.contact(
        first_name="Ada",
        last_name="Lovelace",
        email="Ada@Example.org",
        phone="617-555-0142",
        consent_updates="on",
    )
    assert contact.status_code == 302 and contact.url == flow.url("review")

    review = flow.get("review")
    text = page_text(review)
    assert "Street light out" in text
    assert "Dark" in text and "A school, A park" in text
    assert "BX-1042" in text and "Whole block is dark." in text
    assert "25 Sheridan St, Jamaica Plain 02130" in text
    assert "Ada@Example.org" in text and "Yes, send me updates" in text
    assert text.count(">Change<") == 4

    sent = flow.review()
    assert sent.status_code == 302
    assert sent.url == flow.url("done")
    case = Case.objects.get()
    assert case.channel == Channel.WEB
    assert case.service_type == streetlight
    assert case.attributes == {
        "kind": "dark",
        "near": ["school", "park"],
        "pole": "BX-1042",
        "lights": "2",
        "since": "2025-03-02T02:15:00+00:00",
        "notes": "Whole block is dark.",
    }
    assert case.description == GOOD_DETAILS["description"]
    assert (case.lat, case.long) == SHERIDAN
    assert case.address == "25 Sheridan St, Jamaica Plain 02130"
    assert case.district is not None and case.district.code == "central"
    assert case.attachments.count() == 2
    assert case.resident is not None and case.resident.first_name == "Ada"
    points = ContactPoint.objects.filter(resident=case.resident)
    assert {(p.kind, p.value, p.consent_updates) for p in points} == {
        ("email", "ada@example.org", True),
        ("phone", "+16175550142", True),
    }

    done = flow.get("done")
    text = page_text(done)
    assert done.status_code == 200
    assert f'data-reference="{case.reference}">{case.reference}</p>' in text
    local_due = case.sla_due_at.astimezone(ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE))
    assert formats.date_format(local_due, "DATETIME_FORMAT") in text
    assert f'href="/track/?reference={case.reference}"' in text
    assert "We will send you updates" in text
    assert_no_personal_data(text)
    assert "Ada" not in text and "example.org" not in text

    track = page_text(client.get("/track/", {"reference": case.reference}))
    assert f"Request {case.reference}" in track
    assert "Street light out" in track
    assert "Ada" not in track and "example.org" not in track
    assert "555-0142" not in track and "5550142" not in track


def test_the_typed_address_is_taken_when_it_matches_one_address(client, city, streetlight):
    flow = Flow(client, "streetlight")
    flow.details()

    response = flow.location("25 sheridan street")

    assert response.status_code == 302
    flow.photos()
    flow.contact()
    flow.review()
    case = Case.objects.get()
    assert case.address == "25 Sheridan St, Jamaica Plain 02130"
    assert case.resident is None


def test_a_point_from_the_map_or_the_device_is_taken_with_its_nearest_address(
    client, city, streetlight
):
    flow = Flow(client, "streetlight")
    flow.details()

    response = flow.post("location", {"address": "", "lat": "42.32138", "long": "-71.10860"})

    assert response.status_code == 302
    text = page_text(flow.get("location"))
    assert 'value="25 Sheridan St, Jamaica Plain 02130"' in text
    assert 'name="lat" id="lat" value="42.32138"' in text


def test_an_address_edited_after_the_pin_is_searched_again(client, city, streetlight):
    flow = Flow(client, "streetlight")
    flow.details()

    # The point belongs to 25 Sheridan St; the resident then typed another address.
    response = flow.post(
        "location",
        {
            "address": "1 City Hall Sq",
            "lat": "42.32138",
            "long": "-71.10860",
            "located": "25 Sheridan St, Jamaica Plain 02130",
        },
    )

    assert response.status_code == 302
    assert 'value="1 City Hall Sq, Boston 02201"' in page_text(flow.get("location"))


def test_the_same_address_in_two_places_asks_which(client, city, streetlight):
    flow = Flow(client, "streetlight")
    flow.details()

    response = flow.location("1 Center St")

    assert response.status_code == 400
    text = page_text(response)
    assert "1 Center St, Roslindale 02131" in text and "1 Center St, West Roxbury 02132" in text
    assert "Choose the address from the list." in text


def test_the_flow_in_spanish(client, city, streetlight):
    flow = Flow(client, "streetlight", language="es")

    details = flow.get("details")
    assert html_lang(details) == "es"
    text = page_text(details)
    assert "Reportar: Farol apagado" in text
    assert "¿Qué le pasa?" in text and ">Apagado<" in text
    assert "Continuar" in text
    assert "Describa el problema" in text

    bad = flow.details(**{"attribute-kind": "", "attribute-lights": "dos"})
    text = page_text(bad)
    assert "Hay un problema" in text
    assert "Elija una respuesta." in text
    assert "Escriba un número, como 12 o 3.5." in text

    flow.details()
    location = page_text(flow.get("location"))
    assert "Dirección del problema" in location and "Buscar dirección" in location
    flow.location()
    assert "Agregar archivos" in page_text(flow.get("photos"))
    flow.photos()
    assert "Correo electrónico" in page_text(flow.get("contact"))
    flow.contact(email="maria@example.org", consent_updates="on")
    review = page_text(flow.get("review"))
    assert "Enviar el reporte" in review and "Sí, envíenme novedades" in review
    flow.review()

    done = page_text(flow.get("done"))
    assert "Reporte enviado" in done
    case = Case.objects.get()
    assert case.resident is not None and case.resident.preferred_language == "es"
    assert case.contact_links.get().contact.language == "es"


def test_back_links_and_returning_keep_what_was_entered(client, city, streetlight):
    flow = Flow(client, "streetlight")
    flow.details()
    location = page_text(flow.get("location"))
    assert f'href="{flow.url("details")}">Back</a>' in location

    details = page_text(flow.get("details"))
    assert 'value="dark" checked' in details
    assert 'value="school" checked' in details and 'value="park" checked' in details
    assert 'value="BX-1042"' in details
    assert 'value="2025-03-01T21:15"' in details
    assert "Whole block is dark.</textarea>" in details

    flow.location()
    flow.photos()
    flow.contact(email="ada@example.org")
    # From the review page, a change goes back to the review page.
    changed = flow.client.post(
        flow.url("details") + "?from=review",
        {**GOOD_DETAILS, "attribute-pole": "BX-2000"},
        headers=flow.headers,
    )
    assert changed.status_code == 302 and changed.url == flow.url("review")
    assert "BX-2000" in page_text(flow.get("review"))
    assert 'value="ada@example.org"' in page_text(flow.get("contact"))


def test_steps_cannot_be_skipped(client, city, streetlight):
    flow = Flow(client, "streetlight")

    for step in ("location", "photos", "contact", "review", "nearby"):
        response = flow.get(step)
        assert response.status_code == 302, step
        assert response.url == flow.url("details")
    assert flow.get("done").url == flow.url("details")


def test_two_tabs_keep_two_reports_apart(client, city, streetlight):
    first = Flow(client, "streetlight")
    second = Flow(client, "streetlight")
    first.details(**{"attribute-pole": "FIRST"})
    second.details(**{"attribute-pole": "SECOND"})
    for flow in (first, second):
        flow.location()
        flow.photos()
        flow.contact()
        flow.review()

    assert sorted(Case.objects.values_list("attributes__pole", flat=True)) == ["FIRST", "SECOND"]


def test_an_unknown_or_foreign_draft_is_not_found(client, streetlight):
    flow = Flow(client, "streetlight")
    flow.details()
    other = client.__class__()

    assert other.get(flow.url("location")).status_code == 404
    assert "This report is no longer open" in page_text(other.get(flow.url("location")))
    assert client.get("/report/streetlight/AAAAAAAAAAAAAAAAAAAAAA/details/").status_code == 404
    assert client.get("/report/streetlight/../details/").status_code == 404
    # A draft belongs to its service.
    assert client.get(f"/report/pothole/{flow.draft_id}/details/").status_code == 404


def test_a_sent_report_goes_to_its_confirmation_and_keeps_no_personal_data(
    client, city, streetlight
):
    flow = Flow(client, "streetlight")
    flow.to_review()
    flow.client.post(flow.url("contact"), {"email": "ada@example.org"})
    flow.review()

    for step in ("details", "location", "review"):
        assert flow.get(step).url == flow.url("done")
    stored = client.session["portal.report.drafts"][flow.draft_id]
    assert stored["email"] == "" and stored["answers"] == {} and stored["reference"]


def test_private_and_unknown_services_have_no_flow(client, make_service):
    make_service("internal", "Internal", is_public=False)

    assert client.post("/report/internal/start/").status_code == 404
    assert client.post("/report/nope/start/").status_code == 404
    assert client.get("/report/pothole/start/").status_code == 405


def test_a_time_answer_is_read_in_the_jurisdiction_zone(client, city, streetlight):
    flow = Flow(client, "streetlight")
    flow.details(**{"attribute-since": "2025-07-01T08:00"})
    flow.location()
    flow.photos()
    flow.contact()
    review = page_text(flow.get("review"))
    assert re.search(r'<time datetime="2025-07-01T08:00">', review)
    flow.review()

    # Eastern daylight time is four hours behind UTC.
    assert Case.objects.get().attributes["since"] == "2025-07-01T12:00:00+00:00"
