import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from civicdesk.cases.choices import CaseStatus, EventKind
from civicdesk.cases.models import Attachment, Case, CaseEvent
from civicdesk.contacts.choices import CaseLinkRole, Channel
from civicdesk.contacts.models import Contact, ContactCase
from civicdesk.intake.services import IntakeError, IntakeSubmission, intake_submit
from civicdesk.people.models import ContactPoint, Resident

BOSTON_CITY_HALL = {"lat": "42.3603", "long": "-71.0580"}


def counts():
    return (
        Case.objects.count(),
        Contact.objects.count(),
        Resident.objects.count(),
        CaseEvent.objects.count(),
        Attachment.objects.count(),
    )


def pothole_report(**overrides):
    fields = {
        "channel": Channel.WEB,
        "service_code": "pothole",
        "description": "Deep pothole in the right lane",
        "attributes": {"size": "large", "depth_cm": "12"},
        "address": "1 City Hall Sq",
        **BOSTON_CITY_HALL,
    }
    fields.update(overrides)
    return IntakeSubmission(**fields)


def jpeg_upload(name="pothole.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_a_report_opens_a_case_records_the_contact_and_links_them(pothole):
    result = intake_submit(
        submission=pothole_report(email=" Resident@Example.COM ", phone="(617) 635-4500")
    )

    case = result.case
    assert case is not None and not result.replayed
    assert case.status == CaseStatus.NEW
    assert case.department.code == "public-works"
    assert case.attributes == {"size": "large", "depth_cm": "12"}
    assert case.sla_due_at is not None and case.sla_due_at > case.requested_at
    assert case.reference.count("-") == 1
    assert result.contact.channel == Channel.WEB
    assert result.contact.service_type == pothole
    assert ContactCase.objects.get(contact=result.contact).role == CaseLinkRole.OPENED
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.OPENED]
    values = set(ContactPoint.objects.values_list("value", flat=True))
    assert values == {"resident@example.com", "+16176354500"}
    assert case.resident == result.contact.resident


@pytest.mark.django_db
def test_anonymous_reports_are_accepted(pothole):
    result = intake_submit(submission=pothole_report())
    assert result.case is not None
    assert result.case.resident is None
    assert Resident.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"service_code": "unicorn"}, "service_code", "Unknown service code 'unicorn'"),
        ({"attributes": {"depth_cm": "3"}}, "attribute[size]", "How big"),
        ({"attributes": {"size": "huge"}}, "attribute[size]", "large (Larger)"),
        ({"attributes": {"size": "small", "depth_cm": "deep"}}, "attribute[depth_cm]", ""),
        ({"attributes": {"size": "small", "colour": "red"}}, "attribute[colour]", ""),
        ({"description": "x" * 4001}, "description", "4,000"),
        ({"lat": "42.36", "long": ""}, "long", "together"),
        ({"lat": "91", "long": "-71"}, "lat", ""),
        ({"lat": "abc", "long": "-71"}, "lat", "decimal"),
        ({"lat": "", "long": "", "address": ""}, "lat", "location"),
        ({"email": "not-an-email"}, "email", ""),
        ({"phone": "12"}, "phone", ""),
        ({"media_url": "javascript:alert(1)"}, "media_url", "http"),
        ({"service_code": "", "reason_code": ""}, "service_code", "what the contact is about"),
        ({"description": "hole\x00"}, "description", "NUL"),
        ({"service_code": "pot\x00hole"}, "service_code", "NUL"),
        ({"attributes": {"size": "small\x00"}}, "attribute[size]", "NUL"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(pothole, overrides, field, words):
    before = counts()
    with pytest.raises(IntakeError) as raised:
        intake_submit(submission=pothole_report(**overrides))
    assert field in raised.value.message_dict
    assert words in " ".join(raised.value.message_dict[field])
    assert counts() == before


@pytest.mark.django_db
def test_every_fault_is_reported_at_once(pothole):
    with pytest.raises(IntakeError) as raised:
        intake_submit(
            submission=pothole_report(
                description="x" * 5000, attributes={}, email="nope", lat="200", long="0"
            )
        )
    assert {"description", "attribute[size]", "email", "lat"} <= set(raised.value.message_dict)


@pytest.mark.django_db
def test_a_location_outside_the_jurisdiction_is_refused(pothole, square_jurisdiction):
    with pytest.raises(IntakeError) as raised:
        intake_submit(submission=pothole_report(lat="40.7128", long="-74.0060"))
    assert "outside" in raised.value.message_dict["lat"][0]
    assert Case.objects.count() == 0

    inside = intake_submit(submission=pothole_report())
    assert inside.case is not None
    assert inside.case.district is not None and inside.case.district.code == "d1"


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_first_result(pothole):
    first = intake_submit(submission=pothole_report(), idempotency_key="app-123")
    again = intake_submit(submission=pothole_report(), idempotency_key="app-123")

    assert again.replayed
    assert again.case == first.case
    assert again.contact == first.contact
    assert Case.objects.count() == 1
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_a_key_reused_for_other_content_is_refused(pothole):
    intake_submit(submission=pothole_report(), idempotency_key="app-123")
    with pytest.raises(IntakeError) as raised:
        intake_submit(
            submission=pothole_report(description="Another hole"), idempotency_key="app-123"
        )
    assert "idempotency_key" in raised.value.message_dict
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_two_submissions_are_two_cases(pothole):
    intake_submit(submission=pothole_report())
    intake_submit(submission=pothole_report())
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_a_status_check_is_a_contact_linked_to_the_existing_case(pothole, status_check_reason):
    opened = intake_submit(submission=pothole_report()).case
    assert opened is not None

    call = intake_submit(
        submission=IntakeSubmission(
            channel=Channel.VOICE, reason_code="status-check", case_reference=opened.reference
        )
    )

    assert call.case == opened
    assert call.contact.reason == status_check_reason
    assert Case.objects.count() == 1
    assert ContactCase.objects.get(contact=call.contact).role == CaseLinkRole.FOLLOW_UP
    assert list(opened.events.values_list("kind", flat=True)) == [
        EventKind.OPENED,
        EventKind.CONTACT_LINKED,
    ]


@pytest.mark.django_db
def test_unknown_reason_and_reference_are_named(pothole):
    with pytest.raises(IntakeError) as raised:
        intake_submit(
            submission=IntakeSubmission(
                channel=Channel.VOICE, reason_code="nope", case_reference="26-999999"
            )
        )
    assert set(raised.value.message_dict) == {"reason_code", "case_reference"}


@pytest.mark.django_db
def test_a_photo_is_stored_with_the_case(pothole):
    result = intake_submit(submission=pothole_report(media=[jpeg_upload()]))
    assert result.case is not None
    attachment = result.case.attachments.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.is_public


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_before_anything_is_written(pothole):
    before = counts()
    fake = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(IntakeError) as raised:
        intake_submit(submission=pothole_report(media=[fake]))
    assert "media" in raised.value.message_dict
    assert counts() == before


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    service_code=st.sampled_from(["pothole", "", "unknown", "POTHOLE"]) | st.text(max_size=20),
    description=st.text(max_size=60),
    lat=st.one_of(st.none(), st.text(max_size=12), st.floats(allow_nan=True)),
    long=st.one_of(st.none(), st.text(max_size=12), st.floats(allow_infinity=True)),
    size=st.text(max_size=10),
    email=st.text(max_size=30),
    phone=st.text(max_size=20),
)
def test_random_input_is_either_accepted_or_refused_cleanly(
    pothole, service_code, description, lat, long, size, email, phone
):
    before = counts()
    submission = IntakeSubmission(
        channel=Channel.OPEN311,
        service_code=service_code,
        description=description,
        lat=lat,
        long=long,
        attributes={"size": size},
        email=email,
        phone=phone,
    )
    try:
        result = intake_submit(submission=submission)
    except IntakeError as error:
        assert error.message_dict
        assert counts() == before
    else:
        assert result.case is not None
        assert Case.objects.count() == before[0] + 1
