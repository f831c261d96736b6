import re

import pytest

from civicdesk.cases.choices import CaseStatus, CloseReason
from civicdesk.cases.services.workflow import case_transition
from civicdesk.portal.selectors import public_request_get, reference_normalize

from .pages import assert_no_personal_data, html_lang, page_text

pytestmark = pytest.mark.django_db


def test_found_request_shows_public_status_and_timeline(client, personal_case):
    response = client.get("/track/", {"reference": personal_case.reference})

    assert response.status_code == 200
    text = page_text(response)
    assert f"Request {personal_case.reference}" in text
    assert f"<title>Request {personal_case.reference} |" in text
    assert 'portal-status--new">Received</span>' in text
    assert "Pothole" in text
    assert "1 City Hall Sq" in text
    assert "Public Works" in text
    # The public timeline: received, then the public note; never the internal one.
    timeline = re.findall(r'<h4 class="usa-process-list__heading">([^<]+)</h4>', text)
    assert timeline == ["Request received", "Update"]
    assert "Crew scheduled for Tuesday." in text
    assert_no_personal_data(text)


def test_closed_request_shows_the_closing_note(client, personal_case):
    case_transition(
        case=personal_case,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        public_note="Pothole filled.",
    )

    text = page_text(client.get("/track/", {"reference": personal_case.reference}))

    assert 'portal-status--closed">Closed</span>' in text
    assert "Request closed" in text
    assert "Pothole filled." in text
    assert "Expected by" not in text
    assert_no_personal_data(text)


def test_found_request_in_spanish(client, personal_case, department):
    department.name_es = "Obras Públicas"
    department.save()
    response = client.get(
        "/track/", {"reference": personal_case.reference}, headers={"accept-language": "es"}
    )

    assert html_lang(response) == "es"
    text = page_text(response)
    assert f"Solicitud {personal_case.reference}" in text
    assert 'portal-status--new">Recibida</span>' in text
    assert "Bache" in text
    assert "<dt>A cargo de</dt><dd>Obras Públicas</dd>" in text
    assert "Solicitud recibida" in text


@pytest.mark.parametrize("typed", ["#{ref}", " {ref} ", "{compact}", "{spaced}"])
def test_references_are_found_however_they_are_typed(client, personal_case, typed):
    reference = personal_case.reference
    value = typed.format(
        ref=reference, compact=reference.replace("-", ""), spaced=reference.replace("-", " ")
    )

    response = client.get("/track/", {"reference": value})

    assert f"Request {reference}" in page_text(response)


def test_unknown_reference_gets_an_error_beside_the_field(client, personal_case):
    response = client.get("/track/", {"reference": "99-000001"})

    assert response.status_code == 200
    text = page_text(response)
    assert "<title>Error: Check a request |" in text
    assert 'class="usa-form-group usa-form-group--error"' in text
    error = re.search(
        r'<span class="usa-error-message" id="reference-error" role="alert">([^<]+)</span>', text
    )
    assert error
    assert "We could not find a request with the number 99-000001" in error.group(1)
    field = re.search(r"<input[^>]*id=\"reference\"[^>]*>", text).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="reference-hint reference-error"' in field
    assert 'value="99-000001"' in field
    assert "Request 99-000001" not in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the reference number of your request."),
        ("pothole", "Enter a reference number like"),
        ("12-34", "Enter a reference number like"),
        ("x" * 41, "Ensure this value has at most 40 characters"),
        ("25-0001\x0023", "Null characters are not allowed."),
    ],
)
def test_malformed_references_are_explained(client, typed, message):
    response = client.get("/track/", {"reference": typed})

    assert response.status_code == 200
    text = page_text(response)
    assert 'id="reference-error"' in text
    assert message in text


def test_unknown_reference_in_spanish(client):
    text = page_text(
        client.get("/track/", {"reference": "99-000001"}, headers={"accept-language": "es"})
    )

    assert "No encontramos ninguna solicitud con el número 99-000001" in text
    assert "<title>Error: Consultar una solicitud |" in text


def test_requests_of_private_services_are_not_found(make_service, make_case):
    private = make_service("internal", "Internal work", is_public=False)
    case = make_case(service_type=private)

    assert public_request_get(case.reference) is None


def test_lookup_query_count(personal_case, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        found = public_request_get(personal_case.reference)
    assert found is not None
    assert found.record["service_request_id"] == personal_case.reference


def test_reference_normalizing():
    assert reference_normalize(" #25 000123 ") == "25-000123"
    assert reference_normalize("25000123") == "25-000123"
    assert reference_normalize("25-000123") == "25-000123"


def test_empty_form_has_no_error(client):
    text = page_text(client.get("/track/"))

    assert "usa-error-message" not in text
    assert "usa-form-group--error" not in text
    assert '<label class="usa-label" for="reference">Reference number</label>' in text
