"""Each case carries the Open311 jurisdiction it belongs to; staff can list one jurisdiction's."""

from django.conf import settings

CASES = "/api/v1/cases"


def test_cases_show_and_filter_by_jurisdiction(client, auth, make_case):
    own = make_case()
    town = make_case(jurisdiction="town-a.gov", description="In the town")

    everything = client.get(CASES, headers=auth["agent"]).json()["results"]
    in_town = client.get(f"{CASES}?jurisdiction=town-a.gov", headers=auth["agent"]).json()
    at_home = client.get(
        f"{CASES}?jurisdiction={settings.CIVICDESK_JURISDICTION_ID}", headers=auth["agent"]
    ).json()
    elsewhere = client.get(f"{CASES}?jurisdiction=town-b.gov", headers=auth["agent"]).json()

    assert {row["reference"]: row["jurisdiction"] for row in everything} == {
        own.reference: settings.CIVICDESK_JURISDICTION_ID,
        town.reference: "town-a.gov",
    }
    assert [row["reference"] for row in in_town["results"]] == [town.reference]
    assert [row["reference"] for row in at_home["results"]] == [own.reference]
    assert elsewhere["count"] == 0
    detail = client.get(f"{CASES}/{town.reference}", headers=auth["agent"]).json()
    assert detail["jurisdiction"] == "town-a.gov"


def test_a_malformed_jurisdiction_filter_is_a_400(client, auth, catalog):
    for value in ("-starts-badly", "with space", "x" * 101):
        response = client.get(CASES, {"jurisdiction": value}, headers=auth["agent"])
        assert response.status_code == 400, value
        assert "jurisdiction" in response.json()["errors"]
