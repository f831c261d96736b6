"""POST requests.{fmt}: the happy path, and every way a client can get it wrong."""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from civicdesk.cases.models import Attachment, Case
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.models import Contact
from civicdesk.open311.models import ApiKey
from civicdesk.open311.services import apikey_revoke
from tests.open311.test_post_support import (
    BASE,
    CITY_HALL,
    body,
    errors,
    new_key,
    png_bytes,
    post,
    post_multipart,
    pothole_form,
)

FORMATS = ["json", "xml"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture(params=["site", "direct"])
def routing(request, settings):
    """The site's URLconf, and one routing POST straight to views_write.requests_create."""
    if request.param == "direct":
        settings.ROOT_URLCONF = "tests.open311.test_post_urls"
    return request.param


@pytest.fixture
def key(demo_catalog):
    return new_key()


def unchanged(before):
    return (Case.objects.count(), Contact.objects.count()) == before


def counts():
    return (Case.objects.count(), Contact.objects.count())


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_a_request_that_reads_back(client, key, fmt):
    response = post(client, fmt, pothole_form(key, email="Resident@Example.org"))

    assert response.status_code == 201, response.content
    [answer] = body(response, fmt)
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert answer["service_notice"] == "We aim to respond within 48 business hours."
    assert answer["account_id"] in ("", None)
    case = Case.objects.get(reference=answer["service_request_id"])
    assert case.service_type.code == "pothole"
    assert case.attributes == {"size": "large", "lane": "travel-lane"}
    assert case.contact_links.get().contact.channel == Channel.OPEN311

    read = client.get(f"{BASE}requests/{answer['service_request_id']}.json")
    assert read.status_code == 200, read.content
    [record] = read.json()
    assert record["service_request_id"] == case.reference
    assert record["service_code"] == "pothole"
    assert record["description"] == "Deep pothole in the right lane."
    assert "Resident@Example.org".lower() not in read.content.decode().lower()


@pytest.mark.django_db
def test_post_accepts_address_instead_of_coordinates_and_multivalue_attributes(client, key):
    response = post(
        client,
        "json",
        [
            ("api_key", key),
            ("service_code", "missed-trash"),
            ("address_string", "1 City Hall Square"),
            ("attribute[collections][]", "recycling"),
            ("attribute[collections][]", "trash"),
            ("jurisdiction_id", ""),
        ],
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()[0]["service_request_id"])
    assert case.address == "1 City Hall Square"
    assert case.attributes["collections"] == ["trash", "recycling"]


@pytest.mark.django_db
def test_post_needs_no_csrf_token(key):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, "json", pothole_form(key)).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_unknown_and_revoked_keys_are_refused_with_403(client, key, fmt):
    before = counts()
    [missing] = errors(post(client, fmt, pothole_form(key, api_key="")), fmt, 403)
    assert missing.startswith("api_key:")
    no_field = [pair for pair in pothole_form(key) if pair[0] != "api_key"]
    errors(post(client, fmt, no_field), fmt, 403)
    [bad] = errors(post(client, fmt, pothole_form(key + "x")), fmt, 403)
    assert "not valid" in bad
    errors(post(client, fmt, pothole_form("o311_\x00nul")), fmt, 403)

    apikey_revoke(key=ApiKey.objects.get())
    [revoked] = errors(post(client, fmt, pothole_form(key)), fmt, 403)
    assert "revoked" in revoked
    assert unchanged(before)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_over_the_rate_limit_is_429_with_retry_after(client, demo_catalog, fmt):
    key = new_key(rate_limit_per_minute=2)
    assert post(client, fmt, pothole_form(key)).status_code == 201
    assert post(client, fmt, pothole_form(key)).status_code == 201
    before = counts()

    refused = post(client, fmt, pothole_form(key))

    [message] = errors(refused, fmt, 429)
    assert "2 requests a minute" in message
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert unchanged(before)
    # Another key has its own budget.
    assert post(client, fmt, pothole_form(new_key())).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_json_body_is_refused_with_the_form_types_named(client, key, fmt):
    response = post(
        client,
        fmt,
        json.dumps(dict(pothole_form(key))).encode(),
        content_type="application/json",
    )
    assert errors(response, fmt, 400) == [
        "Send the request as application/x-www-form-urlencoded or multipart/form-data"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        b"description=caf\xe9",  # Latin-1 bytes sent raw
        b"description=caf%E9",  # ... and percent-encoded
    ],
)
def test_non_utf8_form_bodies_are_refused(client, key, raw):
    fields = "&".join(f"{name}={value}" for name, value in pothole_form(key, description=None))
    before = counts()
    [message] = errors(post(client, "json", fields.encode() + b"&" + raw), "json", 400)
    assert "UTF-8" in message
    assert unchanged(before)


@pytest.mark.django_db
def test_non_utf8_multipart_field_is_refused_naming_it(client, key):
    boundary = "xYzZY"
    parts = []
    for name, value in pothole_form(key, description=None):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    payload = "".join(parts).encode() + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n'.encode()
        + b"caf\xe9\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = client.post(
        f"{BASE}requests.json",
        payload,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    [message] = errors(response, "json", 400)
    assert "description" in message and "UTF-8" in message


@pytest.mark.django_db
def test_a_declared_non_utf8_charset_is_refused(client, key, routing):
    response = post(
        client,
        "json",
        pothole_form(key),
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    [message] = errors(response, "json", 400)
    assert "UTF-8" in message


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_body_over_the_limit_is_a_400_in_the_clients_format(client, key, routing, fmt):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000):
        response = post(client, fmt, pothole_form(key, description="x" * 3000))
    [message] = errors(response, fmt, 400)
    assert "larger than 2,000 bytes" in message


@pytest.mark.django_db
def test_a_broken_multipart_body_is_a_400(client, key, routing):
    response = client.post(
        f"{BASE}requests.json",
        b'--nope\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
        content_type="multipart/form-data; boundary=",
    )
    errors(response, "json", 400)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicated_single_parameters_are_named(client, key, fmt):
    fields = [*pothole_form(key), ("service_code", "pothole"), ("lat", "42.36")]
    before = counts()
    messages = errors(post(client, fmt, fields), fmt, 400)
    assert messages == [
        "service_code: send this parameter once.",
        "lat: send this parameter once.",
    ]
    assert unchanged(before)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_is_404(client, key, fmt):
    [message] = errors(post(client, fmt, pothole_form(key, service_code="no-such")), fmt, 404)
    assert "no-such" in message and "unknown service" in message


@pytest.mark.django_db
def test_missing_service_code_is_400(client, key):
    [message] = errors(post(client, "json", pothole_form(key, service_code="")), "json", 400)
    assert message.startswith("service_code:")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_required_attribute_names_its_code(client, key, fmt):
    fields = [
        ("api_key", key),
        ("service_code", "street-light-out"),
        ("lat", CITY_HALL[0]),
        ("long", CITY_HALL[1]),
    ]
    [message] = errors(post(client, fmt, fields), fmt, 400)
    assert message.startswith("attribute[problem]:")
    assert "required" in message


@pytest.mark.django_db
def test_bad_attribute_values_are_named(client, key):
    fields = [
        *pothole_form(key, **{"attribute[size]": None}),
        ("attribute[size][]", "small"),
        ("attribute[size][]", "large"),
        ("attribute[nope]", "x"),
    ]
    messages = errors(post(client, "json", fields), "json", 400)
    assert any(m.startswith("attribute[size]:") for m in messages), messages
    assert any(m.startswith("attribute[nope]:") for m in messages), messages

    wrong_choice = pothole_form(key, **{"attribute[lane]": "sky"})
    [message] = errors(post(client, "json", wrong_choice), "json", 400)
    assert message.startswith("attribute[lane]:")

    malformed = [*pothole_form(key), ("attribute[]", "x")]
    [message] = errors(post(client, "json", malformed), "json", 400)
    assert message.startswith("attribute[]:")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_location_and_description_errors(client, key, fmt):
    before = counts()
    [message] = errors(post(client, fmt, pothole_form(key, long="")), fmt, 400)
    assert message.startswith("long:")
    [message] = errors(post(client, fmt, pothole_form(key, lat="", long="")), fmt, 400)
    assert message.startswith("lat:")
    [message] = errors(post(client, fmt, pothole_form(key, lat="north")), fmt, 400)
    assert message.startswith("lat:")
    [message] = errors(post(client, fmt, pothole_form(key, description="d" * 4001)), fmt, 400)
    assert message.startswith("description:") and "4,000" in message
    [message] = errors(post(client, fmt, pothole_form(key, email="not an email")), fmt, 400)
    assert message.startswith("email:")
    [message] = errors(post(client, fmt, pothole_form(key, device_id="d" * 300)), fmt, 400)
    assert message.startswith("device_id:")
    assert unchanged(before)


@pytest.mark.django_db
def test_media_upload_is_stored_and_a_bad_one_refused(client, key):
    good = dict(pothole_form(key))
    good["media"] = SimpleUploadedFile("hole.png", png_bytes(), "image/png")
    response = post_multipart(client, "json", good)
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()[0]["service_request_id"])
    assert Attachment.objects.filter(case=case).count() == 1

    before = counts()
    bad = dict(pothole_form(key))
    bad["media"] = SimpleUploadedFile("hole.jpg", b"this is not a photo", "image/jpeg")
    messages = errors(post_multipart(client, "xml", bad), "xml", 400)
    assert all(m.startswith("media:") for m in messages), messages
    assert unchanged(before)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_mismatch_is_404(client, key, fmt):
    fields = [*pothole_form(key), ("jurisdiction_id", "somewhere.else")]
    [message] = errors(post(client, fmt, fields), fmt, 404)
    assert "somewhere.else" in message


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_idempotency_key_replays_the_first_answer(client, key, fmt):
    first = post(client, fmt, pothole_form(key), HTTP_IDEMPOTENCY_KEY="abc-123")
    again = post(client, fmt, pothole_form(key), HTTP_IDEMPOTENCY_KEY="abc-123")

    assert first.status_code == 201
    assert again.status_code == 200
    assert body(first, fmt) == body(again, fmt)
    assert Case.objects.count() == 1

    changed = pothole_form(key, description="Something else entirely.")
    [message] = errors(post(client, fmt, changed, HTTP_IDEMPOTENCY_KEY="abc-123"), fmt, 422)
    assert message.startswith("Idempotency-Key:")
    # Another integrator's identical key is a different request.
    other = post(client, fmt, pothole_form(new_key()), HTTP_IDEMPOTENCY_KEY="abc-123")
    assert other.status_code == 201
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_an_overlong_idempotency_key_is_refused(client, key):
    response = post(client, "json", pothole_form(key), HTTP_IDEMPOTENCY_KEY="k" * 151)
    [message] = errors(response, "json", 400)
    assert message.startswith("Idempotency-Key:")


@pytest.mark.django_db
def test_blackbox_services_answer_like_realtime(client, key):
    from civicdesk.catalog.models import ServiceType

    ServiceType.objects.filter(code="pothole").update(kind="blackbox")
    response = post(client, "json", pothole_form(key))
    assert response.status_code == 201
    assert "service_request_id" in response.json()[0]
    assert "token" not in response.json()[0]
