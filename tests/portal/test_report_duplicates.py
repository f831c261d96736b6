"""The report flow's duplicate step: "Is this the same problem? Follow this one instead"."""

import pytest
from django.core import mail

from civicdesk.cases.choices import CaseStatus, CloseReason
from civicdesk.cases.models import Case
from civicdesk.cases.services.merging import case_merge
from civicdesk.cases.services.opening import Location, case_open
from civicdesk.cases.services.workflow import case_transition
from civicdesk.catalog.models import ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.people.models import CaseFollow, EmailLink

from .accounts import field_error, last_email, link_in, sign_in
from .pages import assert_no_personal_data, page_text
from .report_support import SHERIDAN, Flow, load_city, make_streetlight, written

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"


@pytest.fixture
def streetlight(tmp_path, department):
    load_city(tmp_path)
    return make_streetlight(department)


def open_case(service, lat=SHERIDAN[0], long=SHERIDAN[1], **extra):
    return case_open(
        service_type=service,
        location=Location(lat=lat, long=long, address=extra.pop("address", "25 Sheridan St")),
        description=extra.pop("description", "The light in front of number 25 is out."),
        channel=Channel.WEB,
        **extra,
    )


def at_nearby(client, **headers):
    flow = Flow(client, "streetlight", **headers)
    assert flow.details().status_code == 302
    response = flow.location()
    assert response.status_code == 302 and response.url == flow.url("nearby"), response.url
    return flow


def test_nearby_reports_show_what_where_when_and_status(client, streetlight, pothole):
    similar = open_case(streetlight, description="Street light out in front of number 25")
    other = open_case(
        streetlight, lat=SHERIDAN[0] + 0.0006, description="Leaning pole by the park"
    )  # about 67 m north
    streetlight.related_types.add(pothole)
    related = open_case(pothole, description="Pothole under the light")
    open_case(pothole, jurisdiction="brookline.ma.us")
    flow = at_nearby(client)

    text = page_text(flow.get("nearby"))

    assert "Is this the same problem?" in text
    assert text.index(f'data-request="{similar.reference}"') < text.index(
        f'data-request="{other.reference}"'
    )
    assert f'data-request="{related.reference}"' in text
    assert text.count("data-request=") == 3
    assert "Street light out</strong>: Street light out in front of number 25" in text
    assert "About 67 metres away" in text and "Less than 10 metres away" in text
    assert 'portal-status--new">Received' in text and "Reported <time" in text
    assert f'href="{flow.url("nearby")}{similar.reference}/"' in text
    assert f'href="{flow.url("photos")}">Mine is a different problem: continue' in text
    assert_no_personal_data(text)


def test_mine_is_different_goes_on_and_the_report_is_sent(client, streetlight):
    open_case(streetlight)
    flow = at_nearby(client)

    assert flow.get("photos").status_code == 200
    assert flow.photos().status_code == 302
    assert flow.contact().status_code == 302
    assert flow.review().url == flow.url("done")
    assert Case.objects.count() == 2


def test_anonymous_residents_follow_by_email_and_no_case_is_made(client, streetlight):
    case = open_case(streetlight)
    flow = at_nearby(client)
    before = written()

    page = flow.get(f"nearby/{case.reference}")
    assert page.status_code == 200
    text = page_text(page)
    assert f"Follow request {case.reference}" in text and 'type="email"' in text
    response = flow.post(f"nearby/{case.reference}", {"follow-email": EMAIL})

    assert response.status_code == 302 and response.url == flow.url("followed")
    assert written() == before
    link = EmailLink.objects.get()
    assert link.case == case and link.email == EMAIL
    confirm_path = link_in(last_email(EMAIL), "/follow/confirm/")
    done = page_text(flow.get("followed"))
    assert "Check your email" in done and EMAIL in done
    assert f'data-reference="{case.reference}"' in done
    assert "We did not make a new report" in done
    # The flow is over: every step now leads to the confirmation.
    for step in ("details", "location", "nearby", "photos", "review", "done"):
        assert flow.get(step).url == flow.url("followed"), step
    # The emailed link starts the follow, as on the track page.
    assert client.post(confirm_path).status_code == 303
    assert CaseFollow.objects.get().case == case


def test_a_bad_email_is_explained_beside_the_field(client, streetlight):
    case = open_case(streetlight)
    flow = at_nearby(client)

    response = flow.post(f"nearby/{case.reference}", {"follow-email": "not an address"})

    assert response.status_code == 400
    assert field_error(response, "id_follow-email")
    assert 'href="#id_follow-email"' in page_text(response)
    assert mail.outbox == [] and not EmailLink.objects.exists()


def test_signed_in_residents_follow_in_one_click(client, streetlight):
    case = open_case(streetlight)
    sign_in(client, EMAIL)
    mail.outbox.clear()
    flow = at_nearby(client)
    text = page_text(flow.get("nearby"))
    assert f'action="{flow.url("nearby")}{case.reference}/" method="post"' in text

    response = flow.post(f"nearby/{case.reference}", {})

    assert response.status_code == 302 and response.url == flow.url("followed")
    follow = CaseFollow.objects.get()
    assert follow.case == case and follow.ended_at is None
    assert Case.objects.count() == 1
    done = page_text(flow.get("followed"))
    assert "You are following this request. We will email you when it changes." in done
    assert len(mail.outbox) == 1  # the receipt with the unsubscribe link


def test_only_an_offered_open_report_can_be_followed(client, streetlight):
    offered = open_case(streetlight)
    far = open_case(streetlight, lat=SHERIDAN[0] + 0.01)
    flow = at_nearby(client)

    assert flow.get(f"nearby/{far.reference}").url == flow.url("nearby")
    case_transition(case=offered, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)
    response = flow.post(f"nearby/{offered.reference}", {"follow-email": EMAIL})
    assert response.url == flow.url("nearby")
    assert flow.get("nearby").url == flow.url("photos")
    assert not EmailLink.objects.exists()


def test_the_followed_page_needs_a_followed_draft(client, streetlight):
    flow = Flow(client, "streetlight")

    assert flow.get("followed").url == flow.url("details")


def test_in_spanish(client, streetlight):
    case = open_case(streetlight)
    flow = at_nearby(client, language="es")

    text = page_text(flow.get("nearby"))
    assert "¿Es el mismo problema?" in text
    assert "Es mi problema: seguirlo en su lugar" in text
    assert "Farol apagado" in text
    follow_page = page_text(flow.get(f"nearby/{case.reference}"))
    assert f"Seguir la solicitud {case.reference}" in follow_page
    flow.post(f"nearby/{case.reference}", {"follow-email": EMAIL})
    assert "Revise su correo" in page_text(flow.get("followed"))


def test_the_track_page_of_a_merged_report_says_where_it_went(client, streetlight):
    original = open_case(streetlight)
    duplicate = open_case(streetlight)
    case_merge(duplicate=duplicate, original=original, actor=None, note="staff only")

    english = page_text(client.get("/track/", {"reference": duplicate.reference}))
    spanish = page_text(
        client.get("/track/", {"reference": duplicate.reference}, headers={"accept-language": "es"})
    )

    assert "Joined to an earlier report of the same problem" in english
    assert f"Merged into {original.reference}." in english
    assert "Unida a un reporte anterior del mismo problema" in spanish
    assert "staff only" not in english
    notice = english[english.index("data-merged-into") :]
    assert f"Now handled as request {original.reference}" in notice
    assert f'href="/track/?reference={original.reference}"' in notice
    assert f"Ahora se atiende como la solicitud {original.reference}" in spanish


def test_no_link_to_an_original_the_public_cannot_see(client, streetlight):
    hidden = ServiceType.objects.create(
        code="hidden-light",
        name="Light check",
        default_department=streetlight.default_department,
        is_public=False,
    )
    original = open_case(hidden)
    duplicate = open_case(streetlight)
    case_merge(duplicate=duplicate, original=original, actor=None)

    text = page_text(client.get("/track/", {"reference": duplicate.reference}))

    assert "Joined to an earlier report of the same problem" in text
    assert "data-merged-into" not in text
    assert f'href="/track/?reference={original.reference}"' not in text
