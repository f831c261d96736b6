"""GET /api/v1/knowledge/search: public, ranked, documented, never a server error."""

import pytest

from civicdesk.knowledge.models import SearchQueryLog

from .test_search_fixtures import *  # noqa: F403 - the search fixtures

pytestmark = pytest.mark.django_db
URL = "/api/v1/knowledge/search"


def test_results_are_ranked_with_their_ids_links_and_scores(client, city_kb, city_services):
    response = client.get(URL, {"q": "garbage collection day", "lang": "en", "limit": 3})

    assert response.status_code == 200
    body = response.json()
    assert (body["query"], body["language"]) == ("garbage collection day", "en")
    first, second = body["results"][:2]
    assert first == {
        "kind": "article",
        "external_id": "city:trash-day",
        "title": "When is my trash picked up?",
        "url": "http://testserver/answers/when-is-my-trash-picked-up/",
        "score": first["score"],
        "summary": "Trash is picked up once a week on your street's collection day.",
        "language": "en",
    }
    assert (second["kind"], second["external_id"]) == ("service", "missed-trash")
    assert second["url"] == "http://testserver/report/missed-trash/"
    scores = [item["score"] for item in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert len(body["results"]) <= 3


def test_spanish_and_kind_filter(client, city_kb, city_services):
    body = client.get(URL, {"q": "multa estacionamiento", "lang": "es"}).json()
    assert body["results"][0]["external_id"] == "city:parking-ticket:es"
    assert body["results"][0]["language"] == "es"

    services = client.get(URL, {"q": "basura", "lang": "es", "kind": "service"}).json()
    assert [item["external_id"] for item in services["results"]] == ["missed-trash"]
    assert services["results"][0]["title"] == "Basura no recogida"


def test_needs_no_credentials_and_logs_the_search(client, city_kb):
    client.get(URL, {"q": "rats"})
    client.get(URL, {"q": "zzyzx"})
    client.get(URL, {"q": ""})

    logged = list(SearchQueryLog.objects.order_by("id").values_list("query", "results_count"))
    assert logged == [("rats", 1), ("zzyzx", 0)]


@pytest.mark.parametrize(
    "query",
    ["", "\x00", "<script>alert(1)</script>", "a" * 5000, "%FF%FE", "' OR 1=1 --", "\ufffd" * 10],
)
def test_bad_queries_get_an_answer_not_an_error(client, city_kb, query):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["results"], list)
    assert len(body["query"]) <= 2000


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lang": "fr"}, "lang"),
        ({"limit": "0"}, "limit"),
        ({"limit": "51"}, "limit"),
        ({"kind": "x"}, "kind"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, db, params, field):
    response = client.get(URL, {"q": "trash", **params})

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_calls_over_the_limit_get_429(client, db, settings):
    settings.CIVICDESK_SEARCH_API_LIMIT_PER_MINUTE = 3
    statuses = [client.get(URL, {"q": "trash"}).status_code for _ in range(5)]

    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    assert "at most 3 a minute" in client.get(URL, {"q": "trash"}).json()["detail"]


def test_the_operation_is_documented_as_public(client, db):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["get"]

    assert not operation.get("security")
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "lang", "limit", "kind"} <= names
    hit = document["components"]["schemas"]["SearchHitOut"]
    assert {"external_id", "title", "url", "score", "kind", "summary"} <= set(hit["required"])
