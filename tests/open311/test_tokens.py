"""Batch services: POST answers with a token, a worker opens the case, the token resolves."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.cases.models import Case
from civicdesk.open311.models import BatchSubmission
from civicdesk.open311.services import batch_submission_process
from civicdesk.open311.tasks import batch_submission_run
from tests.open311.test_post_support import (
    BASE,
    CITY_HALL,
    body,
    errors,
    new_key,
    png_bytes,
    post,
    post_multipart,
)
from tests.workers import run_worker_until_idle


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def bulk_form(key, **overrides):
    fields = {
        "api_key": key,
        "service_code": "bulk-item-pickup",
        "lat": CITY_HALL[0],
        "long": CITY_HALL[1],
        "description": "A couch and a mattress.",
        "attribute[item-count]": "2",
        "email": "resident@example.org",
    }
    fields.update(overrides)
    pairs = [(name, value) for name, value in fields.items() if value is not None]
    return [
        *pairs,
        ("attribute[item-types][]", "furniture"),
        ("attribute[item-types][]", "mattress"),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_batch_post_answers_a_token_that_resolves_after_the_worker(client, demo_catalog, fmt):
    key = new_key()
    response = post(client, fmt, bulk_form(key))

    assert response.status_code == 201, response.content
    [answer] = body(response, fmt)
    assert set(answer) == {"token", "service_notice", "account_id"}
    assert answer["service_notice"] == "We aim to respond within 7 days."
    token = answer["token"]
    assert Case.objects.count() == 0

    [pending] = body(client.get(f"{BASE}tokens/{token}.{fmt}"), fmt)
    assert pending["token"] == token
    assert pending["service_request_id"] in (None, "")

    run_worker_until_idle()

    [done] = body(client.get(f"{BASE}tokens/{token}.{fmt}"), fmt)
    case = Case.objects.get()
    assert done == {"service_request_id": case.reference, "token": token}
    assert case.attributes["item-types"] == ["furniture", "mattress"]

    # Running the task again, or the service directly, opens no second case.
    batch = BatchSubmission.objects.get()
    batch_submission_run.enqueue(batch_id=batch.pk)
    run_worker_until_idle()
    BatchSubmission.objects.filter(pk=batch.pk).update(processed_at=None, case=None)
    again = batch_submission_process(batch_id=batch.pk)
    assert again is not None and again.case == case
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_batch_media_waits_in_pending_and_is_removed_after(client, demo_catalog):
    data = dict(bulk_form(new_key()))
    data["attribute[item-types][]"] = ["furniture"]
    data["media"] = SimpleUploadedFile("couch.png", png_bytes(), "image/png")
    response = post_multipart(client, "json", data)
    assert response.status_code == 201, response.content
    batch = BatchSubmission.objects.get()
    [item] = batch.media
    assert item["path"].startswith("open311/pending/")
    assert default_storage.exists(item["path"])

    run_worker_until_idle()

    case = Case.objects.get()
    assert case.attachments.count() == 1
    assert not default_storage.exists(item["path"])


@pytest.mark.django_db
def test_batch_errors_are_reported_at_once(client, demo_catalog):
    response = post(client, "json", bulk_form(new_key(), **{"attribute[item-count]": None}))
    [message] = errors(response, "json", 400)
    assert message.startswith("attribute[item-count]:")
    assert not BatchSubmission.objects.exists()


@pytest.mark.django_db
def test_batch_idempotency_replays_the_token(client, demo_catalog):
    key = new_key()
    first = post(client, "json", bulk_form(key), HTTP_IDEMPOTENCY_KEY="bulk-1")
    again = post(client, "json", bulk_form(key), HTTP_IDEMPOTENCY_KEY="bulk-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert BatchSubmission.objects.count() == 1
    changed = post(
        client, "json", bulk_form(key, description="Only a chair."), HTTP_IDEMPOTENCY_KEY="bulk-1"
    )
    errors(changed, "json", 422)


@pytest.mark.django_db
def test_a_batch_that_no_longer_validates_is_marked_with_its_error(client, demo_catalog):
    from civicdesk.catalog.models import ServiceType

    response = post(client, "json", bulk_form(new_key()))
    token = response.json()[0]["token"]
    ServiceType.objects.filter(code="bulk-item-pickup").update(is_active=False)

    batch = batch_submission_process(batch_id=BatchSubmission.objects.get(token=token).pk)

    assert batch is not None and batch.processed_at is not None and batch.case is None
    assert "service_code" in batch.error
    [record] = client.get(f"{BASE}tokens/{token}.json").json()
    assert record["service_request_id"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("token", ["no-such-token", "bad%00token", "x" * 80])
def test_unknown_token_is_404(client, fmt, token):
    errors(client.get(f"{BASE}tokens/{token}.{fmt}"), fmt, 404)
