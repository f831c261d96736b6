"""The one-query list and the one-case detail build the same public record."""

import io

import pytest
from PIL import Image

from civicdesk.cases.choices import CaseStatus, CloseReason, NoteVisibility
from civicdesk.cases.services.attachments import attachment_store, attachment_validate
from civicdesk.cases.services.workflow import case_note_add, case_transition

from .wire import get_json

pytestmark = pytest.mark.django_db


def png_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 0, 0)).save(buffer, format="PNG")
    return SimpleUploadedFile("hole.png", buffer.getvalue(), content_type="image/png")


def test_every_list_record_equals_its_detail_record(client, make_case):
    plain = make_case(description="Plain report")
    noted = make_case(description="With a public note")
    case_note_add(case=noted, body="Crew scheduled for Tuesday.", visibility=NoteVisibility.PUBLIC)
    closed = make_case(description="Closed with a reason")
    case_transition(
        case=closed,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        public_note="Filled and sealed.",
    )
    photographed = make_case(description="With a photo")
    attachment_store(
        case=photographed, upload=attachment_validate(upload=png_upload()), is_public=True
    )
    linked = make_case(description="With a media URL", media_url="https://example.org/p.jpg")

    listed = {
        record["service_request_id"]: record
        for record in get_json(client, "requests", {}, schema="requests")
    }

    assert set(listed) >= {c.reference for c in [plain, noted, closed, photographed, linked]}
    for case in [plain, noted, closed, photographed, linked]:
        detail = get_json(client, f"requests/{case.reference}", {}, schema="requests")
        assert listed[case.reference] == detail[0]
    assert listed[closed.reference]["status"] == "closed"
    assert listed[closed.reference]["status_notes"] == "Filled and sealed."
    assert listed[photographed.reference]["media_url"].startswith("http://testserver/")
    assert listed[linked.reference]["media_url"] == "https://example.org/p.jpg"
