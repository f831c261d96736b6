"""The final submit: once only, refused for robots and floods, consent as chosen, intake's
faults on the right step."""

import logging

import pytest

from civicdesk.cases.models import Case
from civicdesk.catalog.choices import AttributeDatatype
from civicdesk.catalog.models import ServiceAttribute
from civicdesk.people.choices import ContactPointKind
from civicdesk.people.models import ContactPoint, Resident

from .pages import page_text
from .report_support import Flow, load_city, make_streetlight, summary_links, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def streetlight(tmp_path, department):
    load_city(tmp_path)
    return make_streetlight(department)


def ready(client, **contact):
    flow = Flow(client, "streetlight")
    flow.details()
    flow.location()
    flow.photos()
    flow.contact(**contact)
    return flow


def test_a_double_click_makes_one_case(client, streetlight):
    flow = ready(client)

    # Two posts of the same review page, as a double click sends them.
    session_key = client.cookies["sessionid"].value
    first = flow.review()
    client.cookies["sessionid"] = session_key
    second = flow.review()

    assert first.status_code == second.status_code == 302
    assert first.url == second.url == flow.url("done")
    assert Case.objects.count() == 1


def test_a_replayed_submit_from_a_stale_session_makes_one_case(client, streetlight):
    """The second request of a double click may carry the session from before the first
    finished: intake's idempotency key (the draft id) answers it with the same case."""
    flow = ready(client)
    stale = dict(client.session["portal.report.drafts"])

    flow.review()
    session = client.session
    session["portal.report.drafts"] = stale
    session.save()
    again = flow.review()

    assert again.status_code == 302
    assert Case.objects.count() == 1
    reference = Case.objects.get().reference
    assert client.session["portal.report.drafts"][flow.draft_id]["reference"] == reference


@pytest.mark.parametrize("step", ["contact", "review"])
def test_a_filled_honeypot_is_refused_without_writing_and_logged(client, streetlight, step, caplog):
    flow = ready(client)
    before = written()

    with caplog.at_level(logging.WARNING, logger="civicdesk.portal.report.views"):
        response = flow.post(step, {"website": "http://spam.example"})

    assert response.status_code == 400
    assert "We could not take this form" in page_text(response)
    assert written() == before
    assert "hidden field was filled in" in caplog.text


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, streetlight):
    flow = ready(client)

    for step in ("contact", "review"):
        text = page_text(flow.get(step))
        assert '<div class="report-extra" aria-hidden="true">' in text
        assert 'name="website" value="" tabindex="-1" autocomplete="off"' in text


def test_too_many_reports_from_one_address_get_a_429(client, streetlight, settings):
    settings.CIVICDESK_REPORT_LIMIT_PER_IP = 2
    for _ in range(2):
        assert ready(client).review().status_code == 302
    flow = ready(client)
    before = written()

    response = flow.review()

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many reports" in page_text(response)
    assert written() == before
    # The report is kept for later.
    assert flow.get("review").status_code == 200


def test_too_many_reports_for_one_contact_get_a_429_from_any_address(client, streetlight, settings):
    settings.CIVICDESK_REPORT_LIMIT_PER_CONTACT = 1
    assert ready(client, email="ada@example.org").review().status_code == 302

    flow = ready(client, email="ADA@example.org ")
    response = flow.client.post(flow.url("review"), {}, REMOTE_ADDR="10.9.9.9")

    assert response.status_code == 429
    assert Case.objects.count() == 1
    # Someone else is not held up.
    assert ready(client, email="grace@example.org").review().status_code == 302


def test_a_retry_of_the_same_report_is_not_counted_twice(client, streetlight, settings):
    settings.CIVICDESK_REPORT_LIMIT_PER_IP = 1
    flow = ready(client)
    session = dict(client.session["portal.report.drafts"])
    assert flow.review().status_code == 302
    stored = client.session
    stored["portal.report.drafts"] = session
    stored.save()

    assert flow.review().status_code == 302


def test_no_updates_when_the_resident_says_no(client, streetlight):
    ready(client, email="ada@example.org", phone="617-555-0142").review()

    points = ContactPoint.objects.all()
    assert {(p.kind, p.consent_updates) for p in points} == {
        (ContactPointKind.EMAIL, False),
        (ContactPointKind.PHONE, False),
    }


def test_consent_given_now_is_recorded_on_a_known_address(client, streetlight):
    resident = Resident.objects.create(first_name="Ada")
    ContactPoint.objects.create(
        resident=resident,
        kind=ContactPointKind.EMAIL,
        value="ada@example.org",
        consent_updates=False,
    )

    ready(client, email="ada@example.org", consent_updates="on").review()

    case = Case.objects.get()
    assert case.resident == resident
    assert ContactPoint.objects.get().consent_updates is True


def test_an_anonymous_report_writes_no_resident(client, streetlight):
    ready(client).review()

    assert Case.objects.get().resident is None
    assert Resident.objects.count() == 0


def test_a_question_added_meanwhile_is_asked_for_on_its_step(client, streetlight):
    flow = ready(client)
    ServiceAttribute.objects.create(
        service_type=streetlight,
        code="colour",
        description="What colour is the pole?",
        datatype=AttributeDatatype.STRING,
        required=True,
        order=9,
    )
    before = written()

    response = flow.review()

    assert response.status_code == 400
    links = summary_links(response)
    assert links == [
        (
            flow.url("details") + "?from=review#attribute-colour",
            "Details: What colour is the pole? Enter an answer.",
        )
    ]
    assert written() == before
