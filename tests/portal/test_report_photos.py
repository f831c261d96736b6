"""Photos on a report: checked on arrival, refused with a reason, kept apart until sent."""

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.cases.models import Attachment, Case
from civicdesk.portal.report.photos import photo_drafts_sweep

from .pages import page_text
from .report_support import (
    Flow,
    errors_by_field,
    jpeg,
    jpeg_bytes,
    load_city,
    make_streetlight,
    pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(client, tmp_path, department):
    load_city(tmp_path)
    make_streetlight(department)
    flow = Flow(client, "streetlight")
    flow.details()
    flow.location()
    return flow


def photo_errors(response):
    text = page_text(response)
    return [
        message
        for _, message in re.findall(
            r'<span class="usa-error-message" id="photos-error-(\d+)">([^<]*)</span>', text
        )
    ]


def upload(flow, *files):
    return flow.post("photos", {"action": "upload", "photos": list(files)})


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_with_a_reason(flow):
    response = upload(flow, SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"))

    assert response.status_code == 400
    assert photo_errors(response) == [
        "notes.txt is not a photo or PDF. Choose a photo (JPEG, PNG, WebP or GIF) or a PDF."
    ]
    text = page_text(response)
    assert 'href="#photos">notes.txt is not a photo or PDF.' in text
    assert 'aria-describedby="photos-hint photos-error-1" aria-invalid="true"' in text


def test_a_disguised_file_is_refused(flow):
    response = upload(
        flow, SimpleUploadedFile("photo.jpg", pdf().read(), content_type="image/jpeg")
    )

    assert photo_errors(response) == [
        "photo.jpg is not the kind of file its name says. "
        "Choose a photo (JPEG, PNG, WebP or GIF) or a PDF."
    ]


def test_a_file_over_the_size_limit_is_refused(flow, settings):
    settings.CIVICDESK_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("big.jpg", jpeg_bytes((400, 400)), content_type="image/jpeg")

    response = upload(flow, big)

    assert response.status_code == 400
    assert photo_errors(response)[0].startswith("big.jpg is larger than 0.000953674 MB.")


def test_a_body_too_large_for_five_files_is_refused_unread(flow, settings):
    settings.CIVICDESK_MAX_UPLOAD_BYTES = 1000

    response = flow.client.post(
        flow.url("photos"),
        {"action": "upload", "photos": [jpeg()]},
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "These files are too large together." in page_text(response)


def test_one_bad_file_keeps_none_of_the_batch(flow):
    bad = SimpleUploadedFile("x.gif", b"GIF89a-broken", content_type="image/gif")

    response = upload(flow, jpeg("good.jpg"), bad)

    assert response.status_code == 400
    assert len(photo_errors(response)) == 1
    assert "good.jpg" not in page_text(flow.get("photos"))


def test_at_most_five_files(flow):
    # Files with the same bytes are one photo, so every file here differs.
    def files(sizes):
        return [
            SimpleUploadedFile(f"{n}.jpg", jpeg_bytes((n, 48)), content_type="image/jpeg")
            for n in sizes
        ]

    assert upload(flow, *files(range(60, 63))).status_code == 302
    assert upload(flow, *files(range(70, 73))).status_code == 400
    assert upload(flow, *files(range(80, 82))).status_code == 302
    assert upload(flow, *files([90])).status_code == 400
    files = files(range(100, 104))

    response = upload(flow, *files)

    assert response.status_code == 400
    assert photo_errors(response) == ["You can add up to 5 files. Remove one to add another."]
    assert "You have added 5 files" in page_text(flow.get("photos"))


def test_photos_can_be_removed_and_previewed_only_by_their_owner(flow, client):
    upload(flow, jpeg("a.jpg"), pdf("b.pdf"))

    preview = flow.get("photos/0")
    assert preview.status_code == 200
    assert preview["Content-Type"] == "image/jpeg"
    assert preview["Cache-Control"] == "private, no-store"
    assert flow.get("photos/1")["Content-Disposition"].startswith("attachment")
    assert client.__class__().get(flow.url("photos/0")).status_code == 404
    assert flow.get("photos/7").status_code == 404

    removed = flow.post("photos", {"action": "remove-0"})
    assert removed.status_code == 302
    text = page_text(flow.get("photos"))
    assert "a.jpg" not in text and "b.pdf" in text


def test_sent_photos_are_stored_with_the_case_and_their_folder_goes(flow, tmp_path):
    upload(flow, jpeg("a.jpg"))
    flow.photos()
    flow.contact()
    flow.review()

    case = Case.objects.get()
    attachment = Attachment.objects.get(case=case)
    assert attachment.is_public and attachment.content_type == "image/jpeg"
    assert any((tmp_path / "drafts").iterdir())
    flow.get("done")
    assert not any((tmp_path / "drafts").iterdir())


def test_photos_that_vanished_are_asked_for_again(flow, tmp_path):
    upload(flow, jpeg("a.jpg"))
    flow.photos()
    flow.contact()
    for folder in (tmp_path / "drafts").iterdir():
        for file in folder.iterdir():
            file.unlink()

    response = flow.review()

    assert response.status_code == 400
    assert "Your photos are no longer here" in page_text(response)
    assert Case.objects.count() == 0
    assert flow.get("review").url == flow.url("photos")


def test_abandoned_drafts_are_swept(flow, tmp_path):
    upload(flow, jpeg("a.jpg"))

    assert photo_drafts_sweep(now=time.time()) == 0
    assert photo_drafts_sweep(now=time.time() + 2 * 24 * 3600) == 1
    assert not any((tmp_path / "drafts").iterdir())


def test_no_photo_is_fine(flow):
    response = flow.photos()

    assert response.status_code == 302
    assert response.url == flow.url("contact")
    assert errors_by_field(response) == {}


def test_uploads_need_the_csrf_token(flow):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies = flow.client.cookies

    refused = strict.post(flow.url("photos"), {"action": "upload", "photos": [jpeg()]})

    assert refused.status_code == 403
    assert "light.jpg" not in page_text(flow.get("photos"))
