""" "Describe the problem": service types suggested from the resident's words, without
JavaScript, and the catalog instead of a guess when the classifier cannot tell."""

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from civicdesk.routing.classifier import _active
from tests.contacts.classifier_support import active_classifier

from .pages import attribute_values, html_lang, page_text

__all__ = ["active_classifier"]

pytestmark = pytest.mark.django_db

URL = "/suggest/"


@pytest.fixture(autouse=True)
def _fresh_classifier() -> Iterator[None]:
    _active.clear()
    yield
    _active.clear()


def suggest(client, description: str, **headers: str):
    response = client.get(f"{URL}?{urlencode({'description': description})}", **headers)
    assert response.status_code == 200
    return response


def links(response) -> list[str]:
    return re.findall(r'href="(/report/[^"]+)"', page_text(response))


def test_the_report_page_has_the_describe_box_as_a_plain_form(client, active_classifier):
    page = page_text(client.get("/report/"))

    assert 'action="/suggest/" method="get"' in page
    assert 'name="description"' in page
    assert "Describe the problem in your own words" in page


def test_a_clear_description_suggests_the_service_with_the_words_carried_over(
    client, active_classifier
):
    text = "Huge hole in the road by the bus stop, my tire burst"
    response = suggest(client, text)

    suggested = attribute_values(response, "data-suggested-service")
    assert suggested[0] == "pothole"
    assert "sewer-inspection" not in suggested  # not a service residents report
    first = urlsplit(links(response)[0].replace("&amp;", "&"))
    assert first.path == "/report/pothole/"
    assert parse_qs(first.query)["description"] == [text]
    assert "This sounds like:" in page_text(response)
    assert html_lang(response) == "en"
    # The box keeps what was written, to change it and ask again.
    assert f">{text}</textarea>" in page_text(response)


def test_the_link_opens_the_report_with_the_description_filled_in(client, active_classifier):
    text = "Graffiti tag on the wall of the school"
    response = suggest(client, text)
    target = links(response)[0].replace("&amp;", "&")

    report = client.get(target)
    assert report.status_code == 200
    assert text in page_text(report)


@pytest.mark.parametrize(
    "text",
    ["   ", "😀🎉🔥", "xqzv blorp fnarg", "asdkjhqwe zxmnbv", "pothole " * 1300],
    ids=["whitespace", "emoji", "nonsense", "random-letters", "very-long"],
)
def test_when_the_classifier_cannot_tell_the_catalog_is_shown_not_a_guess(
    client, active_classifier, text
):
    response = suggest(client, text)

    assert attribute_values(response, "data-suggested-service") == []
    if text.strip():
        assert attribute_values(response, "data-suggestion-result") == ["search"]
        assert "Choose from every service" in page_text(response)


def test_low_confidence_shows_the_catalogs_matches(client, active_classifier, settings):
    settings.CIVICDESK_ROUTING_CONFIDENCE = 0.9999
    response = suggest(client, "pothole by the bus stop")

    assert attribute_values(response, "data-suggested-service") == []
    assert attribute_values(response, "data-matched-service") == ["pothole"]


def test_without_a_classifier_the_page_still_helps(client, db):
    from tests.contacts.classifier_support import services_create

    services_create()
    response = suggest(client, "Huge hole in the road")
    assert attribute_values(response, "data-suggestion-result") == ["search"]


def test_an_emergency_description_says_call_911_first(client, active_classifier):
    response = suggest(client, "there is smoke coming out of my neighbours house right now")

    assert 'id="emergency-alert"' in page_text(response)


def test_htmx_gets_the_list_alone(client, active_classifier):
    response = suggest(client, "Street light is out on my street", HTTP_HX_REQUEST="true")

    assert "<html" not in page_text(response)
    assert attribute_values(response, "data-suggested-service")[0] == "streetlight"
    assert response["Cache-Control"] == "no-store"


def test_the_page_in_spanish(client, active_classifier):
    response = client.get(
        f"{URL}?{urlencode({'description': 'Hay un bache enorme en mi calle'})}",
        headers={"accept-language": "es-US,es;q=0.9"},
    )
    assert html_lang(response) == "es"
    assert attribute_values(response, "data-suggested-service")[0] == "pothole"
    assert "Reparación de baches" in page_text(response)
    assert "Esto parece:" in page_text(response)


def test_the_catalogs_own_matches_are_offered_beside_a_suggestion(client, active_classifier):
    response = suggest(client, "Street light is out and there is graffiti on the lamp post")

    suggested = attribute_values(response, "data-suggested-service")
    matched = attribute_values(response, "data-matched-service")
    assert suggested[0] == "streetlight"
    assert not set(suggested) & set(matched)
    assert len(suggested) + len(matched) <= 6
