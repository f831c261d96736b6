from civicdesk.contacts.models import Contact

CONTACTS = "/api/v1/contacts"


def test_service_types_list_every_active_type_with_attributes(client, auth, full_catalog):
    body = client.get("/api/v1/catalog/service-types", headers=auth["agent"]).json()

    codes = [item["code"] for item in body]
    assert "pothole" in codes and len(codes) > 40
    pothole = next(item for item in body if item["code"] == "pothole")
    assert pothole["department"]["code"] == "public-works"
    assert [a["code"] for a in pothole["attributes"]] == ["size", "lane"]
    assert pothole["attributes"][0]["values"][0] == {
        "key": "small",
        "name": "Smaller than a dinner plate",
    }


def test_service_type_detail_and_404(client, auth, catalog):
    found = client.get("/api/v1/catalog/service-types/pothole", headers=auth["agent"])
    missing = client.get("/api/v1/catalog/service-types/nope", headers=auth["agent"])

    assert found.status_code == 200
    assert found.json()["sla"] == {"value": 48, "unit": "business_hours"}
    assert missing.status_code == 404


def test_departments_and_contact_reasons(client, auth, catalog):
    departments = client.get("/api/v1/catalog/departments", headers=auth["agent"]).json()
    reasons = client.get("/api/v1/catalog/contact-reasons", headers=auth["agent"]).json()

    assert "public-works" in {item["code"] for item in departments}
    status_check = next(item for item in reasons if item["code"] == "status-check")
    assert status_check["parent"] == "request-follow-up"


def test_record_contact_with_reason_and_case(client, auth, staff, make_case):
    case = make_case()

    response = client.post(
        CONTACTS,
        {
            "channel": "voice",
            "reason_code": "status-check",
            "case_reference": case.reference,
            "summary": "Asked when the crew comes",
        },
        content_type="application/json",
        headers=auth["agent"],
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reason"]["code"] == "status-check"
    assert body["channel"] == "voice"
    assert body["agent"] == "agent"
    assert body["case_references"] == [case.reference]


def test_record_contact_is_idempotent(client, auth, catalog):
    headers = {**auth["agent"], "Idempotency-Key": "call-9"}
    payload = {"reason_code": "collection-schedule"}

    first = client.post(CONTACTS, payload, content_type="application/json", headers=headers)
    retry = client.post(CONTACTS, payload, content_type="application/json", headers=headers)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert Contact.objects.count() == 1


def test_record_contact_needs_a_reason(client, auth, catalog):
    missing = client.post(CONTACTS, {}, content_type="application/json", headers=auth["agent"])
    unknown = client.post(
        CONTACTS, {"reason_code": "nope"}, content_type="application/json", headers=auth["agent"]
    )

    assert missing.status_code == 422 and "reason_code" in missing.json()["errors"]
    assert unknown.status_code == 422 and "reason_code" in unknown.json()["errors"]


def test_list_contacts_with_filters(client, auth, make_case):
    make_case()
    client.post(
        CONTACTS,
        {"channel": "voice", "reason_code": "collection-schedule"},
        content_type="application/json",
        headers=auth["agent"],
    )

    everything = client.get(CONTACTS, headers=auth["agent"]).json()
    voice = client.get(f"{CONTACTS}?channel=voice", headers=auth["agent"]).json()
    by_reason = client.get(f"{CONTACTS}?reason=collection-schedule", headers=auth["agent"]).json()

    assert everything["count"] == 2
    assert [item["channel"] for item in voice["results"]] == ["voice"]
    assert by_reason["count"] == 1
    assert "ana.resident" not in str(everything)
