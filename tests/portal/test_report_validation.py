"""Bad input on every step: the error beside its field, in the resident's language, announced,
with what was typed kept, and nothing written."""

import pytest

from .pages import page_text
from .report_support import (
    GOOD_DETAILS,
    OUTSIDE,
    Flow,
    errors_by_field,
    load_city,
    make_streetlight,
    summary_links,
    written,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(client, tmp_path, department):
    load_city(tmp_path)
    make_streetlight(department)
    return Flow(client, "streetlight")


def assert_error_page(response, *, title_prefix="Error:"):
    text = page_text(response)
    assert response.status_code == 400
    assert f"<title>{title_prefix}" in text
    assert 'id="error-summary" role="alert" tabindex="-1"' in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"attribute-kind": ""}, "attribute-kind", "Choose an answer."),
        ({"attribute-kind": "purple"}, "attribute-kind", "Choose one of the answers listed."),
        (
            {"attribute-near": ["school", "moon"]},
            "attribute-near",
            "Choose from the answers listed.",
        ),
        ({"attribute-lights": ""}, "attribute-lights", "Enter a number."),
        ({"attribute-lights": "two"}, "attribute-lights", "Enter a number, like 12 or 3.5."),
        ({"attribute-lights": "1e400"}, "attribute-lights", "Enter a number, like 12 or 3.5."),
        ({"attribute-since": "last tuesday"}, "attribute-since", "Enter a date and time, like"),
        ({"attribute-since": "3025-01-01T10:00"}, "attribute-since", "Enter a date and time"),
        ({"attribute-pole": "x" * 1001}, "attribute-pole", "Keep the answer to 1000 characters"),
        ({"attribute-notes": "x" * 4001}, "attribute-notes", "Keep the answer to 4000 characters"),
        ({"description": "x" * 4001}, "description", "Keep the description to 4000 characters"),
        ({"attribute-pole": "bad\x00"}, "attribute-pole", "Null characters are not allowed."),
    ],
)
def test_each_details_error_is_beside_its_field(flow, changes, field, message):
    before = written()

    response = flow.details(**changes)

    assert_error_page(response)
    errors = errors_by_field(response)
    assert message in errors[field].replace("&#x27;", "'")
    links = dict(summary_links(response))
    target = f"#{field}-0" if field in ("attribute-kind", "attribute-near") else f"#{field}"
    assert target in links
    assert message in links[target]
    assert written() == before
    # Nothing kept either: the next step is still out of reach.
    assert flow.get("location").status_code == 302


def test_details_errors_keep_everything_typed(flow):
    response = flow.details(**{"attribute-lights": "two", "attribute-kind": ""})

    text = page_text(response)
    assert 'value="two"' in text
    assert 'aria-invalid="true"' in text
    assert 'aria-describedby="attribute-lights-error"' in text
    assert 'value="school" checked' in text and 'value="park" checked' in text
    assert 'value="BX-1042"' in text
    assert 'value="2025-03-01T21:15"' in text
    assert f"{GOOD_DETAILS['description']}</textarea>" in text
    assert "usa-form-group--error" in text
    assert text.count('class="usa-error-message"') == 2
    # The radio group's error is tied to its fieldset.
    assert 'id="attribute-kind" aria-describedby="attribute-kind-error"' in text
    links = summary_links(response)
    assert [href for href, _ in links] == ["#attribute-kind-0", "#attribute-lights"]
    assert links[0][1] == "What is wrong with it? Choose an answer."


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"address": ""}, "address", "Enter the address of the problem."),
        ({"address": "999 Nowhere Blvd"}, "address", "We could not find that address."),
        ({"address": "", "action": "find"}, "address", "Enter an address to search for."),
        ({"address": "x" * 301}, "address", "Keep the answer to 300 characters"),
        (
            {"address": "", "lat": "abc", "long": "-71.1"},
            "address",
            "We could not read that point.",
        ),
        ({"address": "", "lat": "95", "long": "-71.1"}, "address", "We could not read that point."),
        (
            {"address": "", "lat": str(OUTSIDE[0]), "long": str(OUTSIDE[1])},
            "address",
            "This place is outside City of Boston (demo).",
        ),
        (
            {"address": "Sheridan St", "choice": "25 Sheridan St, Springfield"},
            "choice",
            "Choose an address from the list, or search again.",
        ),
    ],
)
def test_each_location_error_is_beside_its_field(flow, data, field, message):
    flow.details()
    before = written()

    response = flow.post("location", {"action": "continue", **data})

    assert_error_page(response)
    assert message in errors_by_field(response)[field]
    assert written() == before
    assert flow.get("photos").status_code == 302


def test_location_errors_keep_the_typed_address(flow):
    flow.details()

    response = flow.location("999 Nowhere Blvd")

    text = page_text(response)
    assert 'id="address" name="address" type="text" value="999 Nowhere Blvd"' in text
    assert 'aria-describedby="address-hint address-error" aria-invalid="true"' in text


def test_contact_errors_are_beside_their_fields_and_keep_what_was_typed(flow):
    flow.details()
    flow.location()
    flow.photos()
    before = written()

    response = flow.contact(
        first_name="Ada", email="ada at example", phone="12", consent_updates=""
    )

    assert_error_page(response)
    errors = errors_by_field(response)
    assert errors["email"] == "Enter an email address like name@example.com."
    assert errors["phone"] == "Enter a phone number like 617-555-0123."
    text = page_text(response)
    assert 'value="Ada"' in text and 'value="ada at example"' in text and 'value="12"' in text
    assert written() == before
    assert flow.get("review").status_code == 302


def test_updates_need_an_email_or_a_phone(flow):
    flow.details()
    flow.location()
    flow.photos()

    response = flow.contact(first_name="Ada", consent_updates="on")

    assert_error_page(response)
    assert errors_by_field(response)["consent_updates"] == (
        "To get updates, give an email address or a phone number."
    )
    assert "checked" in page_text(response)


def test_errors_in_spanish(flow):
    flow.headers = {"accept-language": "es"}
    flow.details()

    response = flow.location("999 Nowhere Blvd")

    assert_error_page(response, title_prefix="Error:")
    text = page_text(response)
    assert "Hay un problema" in text
    assert "No encontramos esa dirección." in errors_by_field(response)["address"]


def test_an_outside_point_is_refused_at_the_last_step_too(flow, settings):
    """The boundary can change while a report is open: the review step checks again."""
    flow.to_review()
    session = flow.client.session
    drafts = session["portal.report.drafts"]
    drafts[flow.draft_id]["lat"], drafts[flow.draft_id]["long"] = OUTSIDE
    session["portal.report.drafts"] = drafts
    session.save()
    before = written()

    response = flow.review()

    assert_error_page(response)
    links = summary_links(response)
    assert links[0][0] == flow.url("location") + "?from=review#address"
    assert links[0][1].startswith("Location: This place is outside")
    assert written() == before
