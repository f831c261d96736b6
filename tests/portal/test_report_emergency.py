"""The report flow tells a resident who describes an emergency to call 911 first, in their
language, at the top of the page and to screen readers; the report can still be sent."""

import re

import pytest

from civicdesk.contacts.models import Contact

from .pages import page_text
from .report_support import Flow, load_city, make_streetlight

pytestmark = pytest.mark.django_db

WIRES = "The pole fell over and the wires are down and sparking on the sidewalk"


@pytest.fixture
def city(tmp_path):
    load_city(tmp_path)


@pytest.fixture
def streetlight(department):
    return make_streetlight(department)


def alert(response):
    """The emergency alert's HTML, or None; it must come before anything else in the page."""
    text = page_text(response)
    match = re.search(
        r'<div class="usa-alert usa-alert--emergency[^"]*"[^>]*>.*?</div>\s*</div>', text, re.S
    )
    if match is None:
        return None
    main = text.index('<main id="main-content"')
    assert text.index("usa-alert--emergency") > main
    assert "<h1" not in text[main : match.start()], "the alert comes first on the page"
    return match.group(0)


def test_an_emergency_description_stops_the_flow_with_a_call_911_alert(client, streetlight):
    flow = Flow(client, "streetlight")

    response = flow.details(description=WIRES)

    assert response.status_code == 200
    shown = alert(response)
    assert shown is not None
    assert 'role="alert"' in shown
    assert 'data-emergency="live_wires"' in shown
    assert "If this is an emergency, call 911 now." in shown
    assert '<a class="usa-link text-bold" href="tel:911">Call 911</a>' in shown
    assert "When everyone is safe, you can still send this report." in shown
    text = page_text(response)
    assert WIRES in text  # what they typed is still there
    assert 'name="emergency_seen" value="1"' in text
    assert "Continue with my report" in text


def test_after_the_alert_the_report_goes_on_and_the_contact_is_flagged(client, city, streetlight):
    flow = Flow(client, "streetlight")
    assert flow.details(description=WIRES).status_code == 200

    onward = flow.details(description=WIRES, emergency_seen="1")
    assert onward.status_code == 302 and onward.url == flow.url("location")
    assert flow.location().status_code == 302
    assert flow.photos().status_code == 302
    assert flow.contact().status_code == 302

    review = flow.get("review")
    assert alert(review) is not None
    sent = flow.review()
    assert sent.status_code == 302
    done = client.get(sent.url)
    assert alert(done) is not None
    assert "When everyone is safe" not in alert(done)

    contact = Contact.objects.get()
    assert contact.emergency and contact.emergency_category == "live_wires"


def test_a_routine_description_goes_straight_on(client, streetlight):
    flow = Flow(client, "streetlight")

    response = flow.details(description="The light next to the fire hydrant has been out a week")

    assert response.status_code == 302 and response.url == flow.url("location")
    assert alert(flow.get("details")) is None


def test_the_alert_is_in_spanish_for_a_spanish_reader(client, streetlight):
    flow = Flow(client, "streetlight", language="es")

    response = flow.details(description="se cayó el poste y hay cables caídos echando chispas")

    shown = alert(response)
    assert shown is not None
    assert "Si es una emergencia, llame al 911 ahora." in shown
    assert 'href="tel:911">Llame al 911</a>' in shown
    assert "Continuar con mi reporte" in page_text(response)


def test_an_invalid_form_shows_its_errors_and_no_alert(client, streetlight):
    flow = Flow(client, "streetlight")

    response = flow.details(description=WIRES, **{"attribute-kind": ""})

    assert response.status_code == 400
    assert alert(response) is None


def test_the_service_search_tells_the_resident_to_call_911(client, streetlight):
    urgent = client.get("/report/", {"q": "my basement is flooding"})
    spanish = client.get(
        "/report/", {"q": "huele a gas en mi casa"}, headers={"accept-language": "es"}
    )
    routine = client.get("/report/", {"q": "fire hydrant leaking"})

    assert urgent.status_code == 200
    assert "If this is an emergency, call 911 now." in alert(urgent)
    assert "When everyone is safe" not in alert(urgent)
    assert "Si es una emergencia, llame al 911 ahora." in alert(spanish)
    assert alert(routine) is None
    assert alert(client.get("/report/")) is None


def test_the_home_search_reaches_the_same_alert(client, streetlight):
    redirected = client.get("/", {"q": "someone is hurt and bleeding"})

    assert redirected.status_code == 302
    assert alert(client.get(redirected.url)) is not None
