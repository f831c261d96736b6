"""The portal's search page (works without JavaScript) and its typeahead fragment."""

import re

import pytest

from civicdesk.knowledge.models import SearchQueryLog

from .test_search_fixtures import *  # noqa: F403 - the search fixtures

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _values(response, attribute: str) -> list[str]:
    return re.findall(rf'{attribute}="([^"]*)"', _text(response))


def test_results_page_lists_answers_then_services_as_plain_links(client, city_kb, city_services):
    response = client.get("/search/", {"q": "garbage pickup"})

    assert response.status_code == 200
    text = _text(response)
    assert "<title>Search results for “garbage pickup”" in text
    assert _values(response, "data-external-id")[0] == "city:trash-day"
    assert _values(response, "data-service") == ["missed-trash"]
    assert text.index('id="search-answers-heading"') < text.index('id="search-services-heading"')
    assert '<a class="usa-link" href="/answers/when-is-my-trash-picked-up/">' in text
    assert '<a class="usa-link" href="/report/missed-trash/">Missed trash pickup</a>' in text
    # The page is a plain GET form: no JavaScript is needed to search again.
    assert 'role="search" action="/search/" method="get"' in text
    assert 'name="q" value="garbage pickup"' in text


def test_page_in_spanish_with_english_fallbacks_marked(client, city_kb, city_services):
    response = client.get(
        "/search/", {"q": "estacionamiento parking"}, headers={"accept-language": "es"}
    )

    text = _text(response)
    assert '<html lang="es">' in text
    assert "Buscar respuestas y servicios" in text
    ids = _values(response, "data-external-id")
    assert ids[0] == "city:parking-ticket:es"
    assert "city:parking-permit" in ids
    assert "En inglés" in text


def test_no_results_says_what_to_do(client, city_kb):
    text = _text(client.get("/search/", {"q": "<b>xylophone</b>"}))

    assert "Nothing matches your search" in text
    assert "&lt;b&gt;xylophone&lt;/b&gt;" in text
    assert "<b>xylophone" not in text
    assert 'href="/report/"' in text


def test_empty_page_shows_the_box_only_and_logs_nothing(client, city_kb):
    response = client.get("/search/")

    assert response.status_code == 200
    assert "data-search-results" not in _text(response)
    assert SearchQueryLog.objects.count() == 0


def test_page_searches_are_logged_but_typeahead_keystrokes_are_not(client, city_kb):
    client.get("/search/suggest/", {"q": "ra"})
    client.get("/search/suggest/", {"q": "rat"})
    client.get("/search/", {"q": "rats"})
    client.get("/search/", {"q": "unicorns"})

    logged = list(
        SearchQueryLog.objects.order_by("id").values_list("query", "language", "results_count")
    )
    assert logged == [("rats", "en", 1), ("unicorns", "en", 0)]


@pytest.mark.parametrize("query", ["\x00\x01", "<script>alert(1)</script>", "a" * 5000, "%", "🗑️🗑️"])
def test_bad_queries_get_a_page(client, city_kb, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert" not in _text(response)


def test_typeahead_returns_a_fragment_of_suggestion_links(client, city_kb, city_services):
    response = client.get("/search/suggest/", {"q": "libr"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = _text(response)
    assert "<html" not in text
    link = '<a class="usa-link" href="/answers/when-are-the-libraries-open/">'
    assert f"{link}When are the libraries open?</a>" in text
    assert "1 suggestion" in text
    assert _text(client.get("/search/suggest/", {"q": ""})).strip() == ""


def test_typeahead_names_services_as_reports(client, city_services):
    text = _text(client.get("/search/suggest/", {"q": "potho"}))

    assert 'data-suggestion="service"' in text
    assert "Report a problem" in text


def test_search_boxes_carry_the_typeahead_and_a_live_region(client, city_kb):
    for url in ("/", "/search/"):
        text = _text(client.get(url))
        assert 'hx-get="/search/suggest/"' in text
        assert re.search(
            r'id="[a-z-]+-suggestions" class="portal-suggestions" aria-live="polite"', text
        )
        assert "portal/vendor/htmx/htmx.min.js" in text
