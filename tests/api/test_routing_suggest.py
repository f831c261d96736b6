"""POST /api/v1/routing/suggest: ranked service types for a resident's words, or triage."""

import json
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.routing.classifier import MAX_TEXT_CHARS, _active
from tests.contacts.classifier_support import active_classifier

__all__ = ["active_classifier"]

pytestmark = pytest.mark.django_db

URL = "/api/v1/routing/suggest"


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    cache.clear()
    _active.clear()
    yield
    _active.clear()
    cache.clear()


def suggest(client, text, language="en", status=200):
    response = client.post(
        URL, json.dumps({"text": text, "language": language}), content_type="application/json"
    )
    assert response.status_code == status, response.content
    return response.json()


def test_a_clear_text_gets_the_service_first_with_its_confidence(client, active_classifier):
    answer = suggest(client, "Huge hole in the road by the bus stop, my tire burst")

    assert answer["triage"] is False
    assert answer["reason"] == ""
    assert answer["model_version"] == active_classifier.number
    first = answer["suggestions"][0]
    assert (first["code"], first["name"]) == ("pothole", "Pothole repair")
    assert first["confidence"] >= 0.6
    confidences = [suggestion["confidence"] for suggestion in answer["suggestions"]]
    assert confidences == sorted(confidences, reverse=True)
    assert "sewer-inspection" not in [s["code"] for s in answer["suggestions"]]


def test_names_come_back_in_the_texts_language(client, active_classifier):
    answer = suggest(client, "Hay un bache enorme en mi calle", language="es")

    assert answer["triage"] is False
    assert answer["suggestions"][0]["name"] == "Reparación de baches"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("😀🎉🔥👍", "empty"),
        ("xqzv blorp fnarg wibble", "no_known_words"),
        ("asdkjhqwe zxmnbv lkjhgf", "no_known_words"),
        ("pothole " * (MAX_TEXT_CHARS // 8 + 1), "too_long"),
    ],
    ids=["empty", "whitespace", "emoji", "nonsense", "random-letters", "very-long"],
)
def test_empty_or_nonsense_text_is_triage_never_a_service(client, active_classifier, text, reason):
    answer = suggest(client, text)

    assert answer["triage"] is True
    assert answer["reason"] == reason
    assert answer["suggestions"] == []


def test_a_best_guess_residents_cannot_report_is_triage(client, active_classifier):
    answer = suggest(client, "Camera inspection of the sewer line on my street")

    assert answer["triage"] is True
    assert answer["reason"] == "not_public"


def test_not_sure_enough_is_triage_with_the_candidates(client, active_classifier, settings):
    settings.CIVICDESK_ROUTING_CONFIDENCE = 0.9999
    answer = suggest(client, "There is a deep pothole near the crosswalk")

    assert (answer["triage"], answer["reason"]) == (True, "low_confidence")
    assert answer["suggestions"][0]["code"] == "pothole"


def test_without_a_model_everything_is_triage(client, db):
    answer = suggest(client, "Huge hole in the road by the bus stop")

    assert (answer["triage"], answer["reason"], answer["model_version"]) == (True, "no_model", None)


def test_bad_bodies_get_a_400_with_the_reason(client, db):
    response = client.post(URL, json.dumps({"language": "en"}), content_type="application/json")
    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    response = client.post(
        URL, json.dumps({"text": "pothole", "language": "fr"}), content_type="application/json"
    )
    assert response.status_code == 400


def test_calls_over_the_per_minute_limit_get_a_429(client, active_classifier, settings):
    settings.CIVICDESK_ROUTING_SUGGEST_LIMIT_PER_MINUTE = 2
    suggest(client, "pothole")
    suggest(client, "pothole")
    refused = suggest(client, "pothole", status=429)
    assert "at most 2 a minute" in refused["detail"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=400), language=st.sampled_from(["en", "es"]))
def test_any_text_gets_a_well_formed_answer_and_triage_whenever_unsure(
    client, active_classifier, text, language
):
    cache.clear()
    answer = suggest(client, text, language)

    assert set(answer) == {"triage", "reason", "model_version", "suggestions"}
    assert all(0 <= s["confidence"] <= 1 for s in answer["suggestions"])
    if answer["triage"]:
        assert answer["reason"]
    else:
        assert answer["reason"] == ""
        assert answer["suggestions"][0]["confidence"] >= 0.6
